import { matchPath, useLocation } from 'react-router-dom';
import { TaskApprovalPanel } from './TaskApprovalPanel';

/** The scaffolder's task page, where the panel shows. */
export const TASK_PAGE_PATH = '/create/tasks/:taskId';

/**
 * On the scaffolder's task page, the task's pending approvals (Backstage
 * 1.55 gives that page no place for custom actions); nothing elsewhere, and
 * no request to the backend either.
 */
export const TaskPageApprovals = () => {
  const { pathname } = useLocation();
  const taskId = matchPath(TASK_PAGE_PATH, pathname)?.params.taskId;
  return taskId ? <TaskApprovalPanel key={taskId} taskId={taskId} /> : null;
};
