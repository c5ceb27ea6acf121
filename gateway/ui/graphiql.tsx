import {
  Button,
  UnStyledButton,
  useEditorContext,
  useExecutionContext,
  type GraphiQLPlugin,
} from '@graphiql/react';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';
import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { createRoot } from 'react-dom/client';

const TOKEN_KEY = 'kopdes-graph:token';

// Codes the gateway uses when it declines to run a query rather than failing while running it.
const REFUSED_CODE = /^(FORBIDDEN|UNAUTHENTICATED|BAD_USER_INPUT|QUERY_TOO_\w+|\w+_LIMIT)$/;

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

function createFetcher(getToken: () => string, onRefusal: (message: string | null) => void): Fetcher {
  // The gateway answers with single JSON responses, so the multipart (@defer) client is dead weight.
  const base = createGraphiQLFetcher({ url: '/graphql', enableIncrementalDelivery: false });
  return async (params, opts) => {
    const isIntrospection = params.operationName === 'IntrospectionQuery';
    if (!isIntrospection) onRefusal(null);
    const token = getToken().trim().replace(/^Bearer\s+/i, '');
    const editorHeaders: Record<string, unknown> = opts?.headers ?? {};
    // A header typed in the header editor is more specific than the top-bar token, so it wins.
    const typedAuth = Object.keys(editorHeaders).some((key) => key.toLowerCase() === 'authorization');
    const headers = token && !typedAuth ? { ...editorHeaders, Authorization: `Bearer ${token}` } : editorHeaders;
    const result = await base(params, { ...opts, headers });
    const refusal = refusalOf(result);
    if (refusal) onRefusal(refusal);
    return result;
  };
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

  return (
    <section aria-label="Saved questions">
      <div className="graphiql-history-header">Saved questions</div>
      {questions === null && <p style={styles.muted}>Loading…</p>}
      {questions?.length === 0 && <p style={styles.muted}>No saved questions</p>}
      <ul style={styles.list}>
        {questions?.map((q) => (
          <li key={q.name} style={styles.item}>
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

// Module-level so GraphiQL sees the same plugin object on every render.
const plugins: GraphiQLPlugin[] = [{ title: 'Saved questions', icon: BookmarkIcon, content: SavedQuestions }];

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
    <div style={styles.page}>
      {/* graphiql-container lends the bar GraphiQL's theme variables, so it follows light/dark mode. */}
      <header className="graphiql-container" style={styles.bar}>
        <strong style={styles.brand}>Kopdes Graph</strong>
        <span style={styles.muted}>Ministry data is synthetic</span>
        <input
          type="text"
          aria-label="Bearer token"
          placeholder="Paste a bearer token"
          value={token}
          onChange={(e) => changeToken(e.target.value)}
          spellCheck={false}
          autoComplete="off"
          style={styles.token}
        />
      </header>
      {refusal && (
        <div role="alert" className="graphiql-container" style={styles.banner}>
          <span style={styles.bannerText}>{refusal}</span>
          <UnStyledButton type="button" aria-label="Dismiss" onClick={() => setRefusal(null)}>
            ×
          </UnStyledButton>
        </div>
      )}
      <div style={styles.ide}>
        <GraphiQL fetcher={fetcher} plugins={plugins} isHeadersEditorEnabled />
      </div>
    </div>
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
    marginLeft: 'auto',
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
  ide: { flex: 1, minHeight: 0 },
  list: { listStyle: 'none', margin: 'var(--px-16) 0 0', padding: 0 },
  item: { display: 'flex', alignItems: 'center', gap: 'var(--px-8)', marginTop: 'var(--px-4)' },
  load: { flex: 1, display: 'flex', flexDirection: 'column', alignItems: 'flex-start', textAlign: 'left', gap: 'var(--px-2)' },
  title: { color: 'hsl(var(--color-neutral))' },
} satisfies Record<string, CSSProperties>;

const root = document.getElementById('root');
if (!root) throw new Error('index.html must contain <div id="root">');
createRoot(root).render(<App />);
