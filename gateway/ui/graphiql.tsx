import { Button, UnStyledButton, useEditorContext, useExecutionContext, useSchemaContext, type GraphiQLPlugin } from '@graphiql/react';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQLInterface, GraphiQLProvider } from 'graphiql';
import 'graphiql/graphiql.css';
import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryPlanPanel, recordPlan } from './query-plan-panel';

// The saved question GraphiQL opens on (build.ts compiles it in from schema/operations/).
declare const __DEFAULT_QUESTION__: { name: string; title: string; description?: string; document: string; variables?: Record<string, unknown> };

const TOKEN_KEY = 'kopdes-graph:token';

// Codes the gateway uses when it declines to run a query rather than failing while running it.
// Limits (limits.ts, the HTTP layer): QUERY_TOO_DEEP/COSTLY, TOO_MANY_ALIASES/TOKENS, PAGE_TOO_LARGE, RATE_LIMITED, …
const REFUSED_CODE = /^(FORBIDDEN|UNAUTHENTICATED|BAD_USER_INPUT|QUERY_TOO_\w+|TOO_MANY_\w+|\w+_TOO_LARGE|RATE_LIMITED|\w+_LIMIT)$/;

type SavedQuestion = {
  name: string;
  title: string;
  description?: string;
  document: string;
  variables?: Record<string, unknown>;
};

type ErrorLike = { message?: unknown; extensions?: { code?: unknown } };

function readToken(): string {
  try {
    return localStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return ''; // storage can be disabled (private mode); the token then lives for the page only
  }
}

function writeToken(token: string): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Same as readToken: losing persistence is acceptable.
  }
}

function refusalOf(result: unknown): string | null {
  const errors = (result as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return null;
  const refused = (errors as ErrorLike[]).filter((e) => REFUSED_CODE.test(String(e?.extensions?.code ?? '')));
  const first = refused[0];
  if (!first) return null;
  const more = refused.length > 1 ? ` (+${refused.length - 1} more)` : '';
  return `Refused: ${String(first.message ?? first.extensions?.code)}${more}`;
}

const bearerOf = (token: string) => token.trim().replace(/^Bearer\s+/i, '');

function createFetcher(getToken: () => string, onRefusal: (message: string | null) => void): Fetcher {
  // The gateway answers with single JSON responses, so the multipart (@defer) client is dead weight.
  const base = createGraphiQLFetcher({ url: '/graphql', enableIncrementalDelivery: false });
  return async (params, opts) => {
    const isIntrospection = params.operationName === 'IntrospectionQuery';
    if (!isIntrospection) onRefusal(null);
    const token = bearerOf(getToken());
    const editorHeaders: Record<string, unknown> = opts?.headers ?? {};
    // A header typed in the header editor is more specific than the top-bar token, so it wins.
    const typedAuth = Object.keys(editorHeaders).some((key) => key.toLowerCase() === 'authorization');
    const signedIn = Boolean(token) || typedAuth;
    const withAuth = token && !typedAuth ? { ...editorHeaders, Authorization: `Bearer ${token}` } : editorHeaders;
    // Signed-in callers get the query plan with each answer (the gateway never sends one to the public).
    const headers = signedIn && !isIntrospection ? { ...withAuth, 'x-query-plan': 'true' } : withAuth;
    const result = await base(params, { ...opts, headers });
    const refusal = refusalOf(result);
    if (refusal) onRefusal(refusal);
    if (!isIntrospection && !(result && typeof result === 'object' && Symbol.asyncIterator in result))
      recordPlan(result, signedIn, params.operationName ?? undefined);
    return result;
  };
}

type EditorContext = ReturnType<typeof useEditorContext> & object;
type ExportFormat = 'csv' | 'ndjson';

/** The Authorization header a request from the editor carries: one typed in the headers editor, else the top-bar token. */
function authorizationOf(editor: EditorContext, token: string): string | undefined {
  try {
    const typed = JSON.parse(editor.headerEditor?.getValue() || '{}') as Record<string, unknown>;
    const key = Object.keys(typed).find((k) => k.toLowerCase() === 'authorization');
    if (key && typeof typed[key] === 'string') return typed[key];
  } catch {
    // An unparseable headers editor is GraphiQL's to report when running; export falls back to the token.
  }
  return token ? `Bearer ${token}` : undefined;
}

/**
 * Runs the editor's query through POST /export (same token, roles and limits as a run) and saves
 * the file. Fetched rather than linked so the token stays in a header, never in a URL. Returns the
 * refusal to show, or null.
 */
async function exportResult(editor: EditorContext, token: string, format: ExportFormat): Promise<string | null> {
  const query = editor.queryEditor?.getValue() ?? '';
  if (!query.trim()) return 'Export: the editor is empty; load a saved question or write a query first.';
  let variables: unknown;
  try {
    const text = editor.variableEditor?.getValue()?.trim();
    variables = text ? JSON.parse(text) : undefined;
  } catch {
    return 'Export: the variables are not valid JSON.';
  }
  const authorization = authorizationOf(editor, token);
  const res = await fetch(`/export?format=${format}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables, operationName: editor.queryEditor?.operationName ?? undefined }),
  }).catch((error: Error) => error);
  if (res instanceof Error) return `Export failed: the gateway could not be reached (${res.message}).`;
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { errors?: ErrorLike[]; error?: string } | null;
    const first = body?.errors?.[0];
    return `Export refused (HTTP ${res.status}): ${String(first?.message ?? body?.error ?? res.statusText)}`;
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `export.${format}`;
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return null;
}

function isSavedQuestion(value: unknown): value is SavedQuestion {
  const q = value as Partial<SavedQuestion> | null;
  return typeof q?.name === 'string' && typeof q.title === 'string' && typeof q.document === 'string';
}

let savedQuestions: Promise<SavedQuestion[]> | undefined;

function loadSavedQuestions(): Promise<SavedQuestion[]> {
  // Fetched once per page: the list only changes when the gateway is redeployed.
  savedQuestions ??= fetch('/operations.json', { headers: { accept: 'application/json' } })
    .then((res) => (res.ok ? res.json() : []))
    .then((body: unknown) => (Array.isArray(body) ? body.filter(isSavedQuestion) : []))
    .catch(() => []);
  return savedQuestions;
}

// Registered operations by file-name prefix: the questions of domain.md first, then the dashboard's own.
const GROUPS = [
  { key: 'question', title: 'Cross-sector questions' },
  { key: 'other', title: 'Profiles and lists' },
  { key: 'dashboard', title: 'Dashboard (public aggregates)' },
] as const;
const groupOf = (q: SavedQuestion) => (q.name.startsWith('question-') ? 'question' : q.name.startsWith('dashboard-') ? 'dashboard' : 'other');

function SavedQuestions() {
  const editor = useEditorContext({ nonNull: true });
  const execution = useExecutionContext({ nonNull: true });
  const [questions, setQuestions] = useState<SavedQuestion[] | null>(null);

  useEffect(() => {
    let mounted = true;
    void loadSavedQuestions().then((list) => mounted && setQuestions(list));
    return () => {
      mounted = false;
    };
  }, []);

  const load = (q: SavedQuestion) => {
    editor.queryEditor?.setValue(q.document);
    editor.variableEditor?.setValue(q.variables ? JSON.stringify(q.variables, null, 2) : '');
  };
  const loadAndRun = (q: SavedQuestion) => {
    load(q);
    // The query editor derives the operation name on a 100 ms debounce; running sooner sends the old one.
    setTimeout(execution.run, 150);
  };

  const groups = GROUPS.map((g) => ({ ...g, items: (questions ?? []).filter((q) => groupOf(q) === g.key) })).filter((g) => g.items.length > 0);

  return (
    <section aria-label="Saved questions">
      <div className="graphiql-history-header">Saved questions</div>
      {questions === null && <p style={styles.muted}>Loading…</p>}
      {questions?.length === 0 && <p style={styles.muted}>No saved questions</p>}
      {groups.map((g) => (
        <div key={g.key}>
          <div style={styles.group}>{g.title}</div>
          <ul style={styles.list}>
            {g.items.map((q) => (
              <li key={q.name} style={styles.item} data-question={q.name}>
                <UnStyledButton type="button" style={styles.load} onClick={() => load(q)} title="Load into the editor">
                  <span style={styles.title}>{q.title}</span>
                  {q.description && <span style={styles.muted}>{q.description}</span>}
                </UnStyledButton>
                <Button type="button" disabled={execution.isFetching} onClick={() => loadAndRun(q)}>
                  Run
                </Button>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function BookmarkIcon() {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M6 3h12v18l-6-4.5L6 21V3z" strokeLinejoin="round" />
    </svg>
  );
}

function PlanIcon() {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M4 5h6v4H4zM14 5h6v4h-6zM9 15h6v4H9zM7 9v3h10V9M12 12v3" strokeLinejoin="round" />
    </svg>
  );
}

// Module-level so GraphiQL sees the same plugin object on every render.
const plugins: GraphiQLPlugin[] = [
  { title: 'Saved questions', icon: BookmarkIcon, content: SavedQuestions },
  { title: 'Query plan', icon: PlanIcon, content: QueryPlanPanel },
];

/** Comment lines of at most `width` characters. */
function commentLines(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/)) {
    if (line.length + word.length + 1 > width && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  if (line !== '#') lines.push(line);
  return lines;
}

/** The first visit opens on a saved question with its variables; later visits restore the user's own tabs. */
const DEFAULT_TABS = [
  {
    query: [
      `# ${__DEFAULT_QUESTION__.title}`,
      ...commentLines(__DEFAULT_QUESTION__.description ?? ''),
      '# Run it with a bearer token (analysts and above); the other saved questions are under the bookmark icon,',
      '# and the query plan of the last run under the plan icon.',
      __DEFAULT_QUESTION__.document,
    ].join('\n'),
    variables: __DEFAULT_QUESTION__.variables ? JSON.stringify(__DEFAULT_QUESTION__.variables, null, 2) : undefined,
  },
];
// GraphiQL fills the variables editor from defaultTabs only when also given them directly: pass them on a first visit.
const FIRST_VISIT = (() => {
  try {
    return !localStorage.getItem('graphiql:tabState') && !localStorage.getItem('graphiql:query');
  } catch {
    return true;
  }
})();
const NEW_TAB = '# Write a query, or load one of the saved questions (bookmark icon).\n';

function DownloadIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden="true">
      <path d="M12 4v11m0 0-4.5-4.5M12 15l4.5-4.5M5 19h14" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** Top bar: inside the GraphiQL provider so the export buttons can read the editors. */
function TopBar({ token, onToken, onRefusal }: { token: string; onToken: (value: string) => void; onRefusal: (message: string | null) => void }) {
  const editor = useEditorContext({ nonNull: true });
  const schema = useSchemaContext({ nonNull: true });
  const introspected = useRef(token);
  // Without a token the gateway introspects the public contract, with one the whole graph: fetch the
  // schema again once the token has settled, so the docs and the editor's checks match the caller.
  useEffect(() => {
    if (introspected.current === token) return;
    const timer = setTimeout(() => {
      introspected.current = token;
      schema.introspect();
    }, 600);
    return () => clearTimeout(timer);
  }, [token, schema]);
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  const run = async (format: ExportFormat) => {
    setExporting(format);
    onRefusal(null);
    try {
      onRefusal(await exportResult(editor, bearerOf(token), format));
    } finally {
      setExporting(null);
    }
  };
  return (
    // graphiql-container lends the bar GraphiQL's theme variables, so it follows light/dark mode.
    <header className="graphiql-container" style={styles.bar}>
      <strong style={styles.brand}>Kopdes Graph</strong>
      <span style={styles.muted}>Ministry data is synthetic</span>
      <a href="/dashboard" style={styles.navLink}>
        Dashboard
      </a>
      <span style={styles.exports} role="group" aria-label="Export the current query's result">
        <Button
          type="button"
          disabled={exporting !== null}
          onClick={() => void run('csv')}
          title="Run the query in the editor and download one row per list item (POST /export?format=csv)"
        >
          <DownloadIcon /> {exporting === 'csv' ? 'Exporting…' : 'Export CSV'}
        </Button>
        <Button
          type="button"
          disabled={exporting !== null}
          onClick={() => void run('ndjson')}
          title="Same as CSV, one JSON object per line (POST /export?format=ndjson)"
        >
          <DownloadIcon /> {exporting === 'ndjson' ? 'Exporting…' : 'NDJSON'}
        </Button>
      </span>
      <input
        type="text"
        aria-label="Bearer token"
        placeholder="Paste a bearer token"
        value={token}
        onChange={(e) => onToken(e.target.value)}
        spellCheck={false}
        autoComplete="off"
        style={styles.token}
      />
    </header>
  );
}

function App() {
  const [token, setToken] = useState(readToken);
  const [refusal, setRefusal] = useState<string | null>(null);
  const tokenRef = useRef(token);
  tokenRef.current = token;
  // Stable fetcher: a new one would make GraphiQL refetch the schema on every keystroke in the token box.
  const fetcher = useMemo(() => createFetcher(() => tokenRef.current, setRefusal), []);

  const changeToken = (value: string) => {
    setToken(value);
    writeToken(value.trim());
  };

  return (
    <GraphiQLProvider
      fetcher={fetcher}
      plugins={plugins}
      defaultTabs={DEFAULT_TABS}
      defaultQuery={NEW_TAB}
      variables={FIRST_VISIT ? DEFAULT_TABS[0]!.variables : undefined}
    >
      <div style={styles.page}>
        <TopBar token={token} onToken={changeToken} onRefusal={setRefusal} />
        {refusal && (
          <div role="alert" className="graphiql-container" style={styles.banner}>
            <span style={styles.bannerText}>{refusal}</span>
            <UnStyledButton type="button" aria-label="Dismiss" onClick={() => setRefusal(null)}>
              ×
            </UnStyledButton>
          </div>
        )}
        <div style={styles.ide}>
          <GraphiQLInterface isHeadersEditorEnabled />
        </div>
      </div>
    </GraphiQLProvider>
  );
}

const styles = {
  page: { display: 'flex', flexDirection: 'column', height: '100vh' },
  bar: {
    width: 'auto',
    height: 'auto',
    flex: 'none',
    alignItems: 'center',
    gap: 'var(--px-16)',
    padding: 'var(--px-8) var(--px-16)',
    borderBottom: '1px solid hsla(var(--color-neutral), var(--alpha-background-heavy))',
    color: 'hsl(var(--color-neutral))',
    fontFamily: 'var(--font-family)',
  },
  brand: { fontSize: 'var(--font-size-h4)', fontWeight: 'var(--font-weight-medium)' },
  muted: { color: 'hsla(var(--color-neutral), var(--alpha-secondary))', fontSize: 'var(--font-size-hint)' },
  token: {
    width: '28em',
    maxWidth: '50%',
    padding: 'var(--px-6) var(--px-8)',
    border: '1px solid hsla(var(--color-neutral), var(--alpha-background-heavy))',
    borderRadius: 'var(--border-radius-4)',
    background: 'transparent',
    color: 'inherit',
    fontFamily: 'var(--font-family-mono)',
  },
  banner: {
    width: 'auto',
    height: 'auto',
    flex: 'none',
    alignItems: 'center',
    padding: 'var(--px-8) var(--px-16)',
    background: 'hsla(var(--color-error), var(--alpha-background-heavy))',
    color: 'hsl(var(--color-error))',
    fontFamily: 'var(--font-family)',
  },
  bannerText: { flex: 1 },
  navLink: { color: 'hsl(var(--color-primary))', fontSize: 'var(--font-size-body)' },
  exports: { display: 'flex', gap: 'var(--px-8)', marginLeft: 'auto' },
  group: {
    marginTop: 'var(--px-16)',
    fontWeight: 'var(--font-weight-medium)',
    color: 'hsla(var(--color-neutral), var(--alpha-secondary))',
    fontSize: 'var(--font-size-hint)',
    textTransform: 'uppercase',
    letterSpacing: '0.04em',
  },
  ide: { flex: 1, minHeight: 0 },
  list: { listStyle: 'none', margin: 'var(--px-4) 0 0', padding: 0 },
  item: { display: 'flex', alignItems: 'center', gap: 'var(--px-8)', marginTop: 'var(--px-4)' },
  load: { flex: 1, display: 'flex', flexDirection: 'column', alignItems: 'flex-start', textAlign: 'left', gap: 'var(--px-2)' },
  title: { color: 'hsl(var(--color-neutral))' },
} satisfies Record<string, CSSProperties>;

const root = document.getElementById('root');
if (!root) throw new Error('index.html must contain <div id="root">');
createRoot(root).render(<App />);
