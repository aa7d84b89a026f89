/** Cells that read badly broken over lines: a status, a sha, a time. */
export const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/** A timestamp in the reader's locale, the exact ISO time on hover. */
export const Time = ({ iso }: { iso?: string }) => {
  if (!iso) return <>—</>;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return <>{iso}</>;
  return (
    <time dateTime={iso} title={iso}>
      {date.toLocaleString()}
    </time>
  );
};
