import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 28,
  },
  mark: {
    fill: '#7df3e1',
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
      <rect className={classes.mark} x="0" y="0" width="28" height="8" rx="2" />
      <rect
        className={classes.mark}
        x="0"
        y="10"
        width="28"
        height="8"
        rx="2"
      />
      <rect
        className={classes.mark}
        x="0"
        y="20"
        width="28"
        height="8"
        rx="2"
      />
    </svg>
  );
};
