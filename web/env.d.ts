/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Which data driver the build uses: the embedded server (default) or Firebase. */
  readonly VITE_BACKEND?: 'local' | 'firebase';
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
