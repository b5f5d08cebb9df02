// The console's pages, in navigation order. One line per page: path (the first part of #/path/…), title, needs (the
// resource whose read right shows the page in the navigation; the API enforces it regardless) and load (the module,
// whose default export is the page component: Page({ params: { id, rest, query, packPages }, api, signal })).
export default [
  { path: 'overview', title: 'Overview', load: () => import('./overview.js') },
  { path: 'models', title: 'Models', needs: 'models', load: () => import('./models.js') },
  { path: 'twins', title: 'Twins', needs: 'twins', load: () => import('./twins.js') },
  { path: 'query', title: 'Query', needs: 'twins', load: () => import('./query.js') },
  { path: 'graph', title: 'Graph', needs: 'twins', load: () => import('./graph.js') },
  { path: 'alerts', title: 'Alerts', needs: 'twins', load: () => import('./alerts.js') },
  { path: 'rules', title: 'Rules', needs: 'rules', load: () => import('./rules.js') },
  { path: 'predictors', title: 'Predictors', needs: 'predictors', load: () => import('./predictors.js') },
  { path: 'simulation', title: 'Simulation', needs: 'simulations', load: () => import('./simulation.js') },
  { path: 'operations', title: 'Operations', load: () => import('./operations.js') },
];
