/** Three paving slabs, 28 units square, drawn in the given fill. */
export const PavedMark = ({ fill, y = 0 }: { fill: string; y?: number }) => (
  <g fill={fill} transform={`translate(0 ${y})`}>
    <rect x="0" y="0" width="28" height="8" rx="2" />
    <rect x="0" y="10" width="28" height="8" rx="2" />
    <rect x="0" y="20" width="28" height="8" rx="2" />
  </g>
);
