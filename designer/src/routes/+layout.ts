// The designer is a client-side SPA served as static files: no server rendering, no prerendering.
// adapter-static's fallback page (index.html) boots the app for every path.
export const ssr = false;
export const prerender = false;
