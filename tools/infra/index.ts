export * from './paths';
export * from './ports';
export * from './postgres';
export * from './kafka';
export * from './process';
