import { makeStyles } from '@material-ui/core';
import { PavedMark } from './PavedMark';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 30,
  },
  word: {
    fill: '#ffffff',
    fontFamily: 'Helvetica, Arial, sans-serif',
    fontSize: 30,
    fontWeight: 700,
    letterSpacing: 1,
  },
});

/** Paved's wordmark: the mark and the name. */
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
      <PavedMark fill="#7df3e1" y={4} />
      <text className={classes.word} x="38" y="30">
        Paved
      </text>
    </svg>
  );
};
