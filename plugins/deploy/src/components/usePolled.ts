import { useCallback, useEffect, useState } from 'react';

/**
 * The value `load` resolves to, or its error, loaded again every
 * `intervalMs` while the component is shown.
 */
export function usePolled<T>(load: () => Promise<T>, intervalMs: number) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<Error>();

  const reload = useCallback(async () => {
    try {
      setValue(await load());
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    }
  }, [load]);

  useEffect(() => {
    reload();
    const timer = setInterval(reload, intervalMs);
    return () => clearInterval(timer);
  }, [reload, intervalMs]);

  return { value, error, loading: value === undefined && !error };
}
