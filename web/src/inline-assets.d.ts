// What the bundler (Vite) makes of an import with ?inline: the file as a data: URL.
declare module "*?inline" {
  const dataUrl: string;
  export default dataUrl;
}
