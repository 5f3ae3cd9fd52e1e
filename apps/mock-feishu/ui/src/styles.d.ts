// esbuild bundles the stylesheet (build.mjs); TypeScript only needs to know the import is meant.
declare module '*.css';
