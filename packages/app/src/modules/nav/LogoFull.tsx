import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 30,
  },
  mark: {
    fill: '#7df3e1',
  },
  word: {
    fill: '#ffffff',
    fontFamily: 'Helvetica, Arial, sans-serif',
    fontSize: 30,
    fontWeight: 700,
    letterSpacing: 1,
  },
});

/** Paved's wordmark: three paving slabs and the name. */
export const LogoFull = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 150 36"
      role="img"
      aria-label="Paved"
    >
      <rect className={classes.mark} x="0" y="4" width="28" height="8" rx="2" />
      <rect
        className={classes.mark}
        x="0"
        y="14"
        width="28"
        height="8"
        rx="2"
      />
      <rect
        className={classes.mark}
        x="0"
        y="24"
        width="28"
        height="8"
        rx="2"
      />
      <text className={classes.word} x="38" y="30">
        Paved
      </text>
    </svg>
  );
};
