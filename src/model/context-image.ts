/**
 * What a folder context becomes for the engine's builder: an image of exactly its files (after its
 * .dockerignore). They are sent under CONTEXT_UNDER, so the Dockerfile itself is not among them.
 */
export const CONTEXT_UNDER = 'context';
export const CONTEXT_DOCKERFILE = `FROM scratch\nCOPY ${CONTEXT_UNDER}/ /\n`;

/** Marks the stand-in images of named contexts, so a leftover one can be told from the user's. */
export const CONTEXT_IMAGE_LABEL = 'io.tscompose.named-context';
