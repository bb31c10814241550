// Svelte 5 with runes everywhere; Vite handles TypeScript.
export default {
  compilerOptions: { runes: true },
};
