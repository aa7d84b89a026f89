import { makeStyles } from '@material-ui/core';
import { PavedMark } from './PavedMark';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 28,
  },
});

/** Paved's mark alone, for the collapsed sidebar. */
export const LogoIcon = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 28 28"
      role="img"
      aria-label="Paved"
    >
      <PavedMark fill="#7df3e1" />
    </svg>
  );
};
