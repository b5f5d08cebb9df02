// The console's pages, in navigation order. One line per page: path (the first part of #/path/…), title, needs (the
// resource whose read right shows the page in the navigation; the API enforces it regardless) and load (the module,
// whose default export is the page component: Page({ params, api, signal })).
export default [
  { path: 'overview', title: 'Overview', load: () => import('./overview.js') },
];
