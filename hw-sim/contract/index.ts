/**
 * The hardware contract of docs/ARCHITECTURE.md as code, the one copy: the array's parameters, its ports and
 * their widths, the beat and readout word layouts, the PE registers, and the one naming of every signal.
 */
export * from './array-config.ts';
export * from './ports.ts';
export * from './registers.ts';
export * from './words.ts';
export * from './names.ts';
