// Starts GraphiQL on /api (React and GraphiQL are the page's globals, served from the package).
/* global React, ReactDOM, GraphiQL */
(async () => {
  const root = document.getElementById('explorateur');
  const example = JSON.parse(root.dataset.exemple);
  const schema = await fetch('/api/schema.json')
    .then((r) => (r.ok ? r.json() : null))
    .then((body) => body && body.data)
    .catch(() => null);
  const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher,
      // Given, so the documentation works where the gateway refuses introspection.
      schema: schema || undefined,
      defaultQuery: example.query,
      variables: example.variables,
      defaultHeaders: '{}',
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: 'variables',
    }),
  );
})();
