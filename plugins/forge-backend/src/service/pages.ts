import {
  ForgeDirectory,
  ForgeFile,
  ForgeRepository,
  ForgeResolvedPath,
  ForgeUrls,
} from '@paved/plugin-forge-node';

/**
 * Plain server-rendered pages for people who open a forge URL ("View source"
 * on an entity page): no scripts, every value escaped.
 */

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** True when a buffer looks like text (no NUL in its first 8000 bytes, as git decides). */
export function isText(content: Buffer): boolean {
  return !content.subarray(0, 8000).includes(0);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} · Paved local forge</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d1d1f}
a{color:#0b5cad;text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:1.4rem}nav{margin-bottom:1rem;color:#555}
table{border-collapse:collapse;width:100%}td{padding:.35rem .5rem;border-top:1px solid #e5e5e5}
pre{background:#f6f8fa;padding:1rem;overflow:auto;border-radius:6px}
code.clone{background:#f6f8fa;padding:.2rem .4rem;border-radius:4px}
.muted{color:#666}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function header(urls: ForgeUrls, repo: ForgeRepository): string {
  return `<nav><a href="${escapeHtml(urls.baseUrl)}/">Local forge</a> /
<a href="${escapeHtml(repo.htmlUrl)}">${escapeHtml(repo.owner)}/${escapeHtml(
    repo.name,
  )}</a></nav>
<h1>${escapeHtml(repo.owner)}/${escapeHtml(repo.name)}</h1>
${repo.description ? `<p>${escapeHtml(repo.description)}</p>` : ''}
<p>Clone: <code class="clone">git clone ${escapeHtml(
    repo.cloneUrl,
  )}</code></p>`;
}

function breadcrumbs(
  urls: ForgeUrls,
  repo: ForgeRepository,
  resolved: ForgeResolvedPath,
): string {
  const parts = resolved.path ? resolved.path.split('/') : [];
  const links = [
    `<a href="${escapeHtml(
      urls.view(repo, 'tree', resolved.ref),
    )}">${escapeHtml(resolved.ref)}</a>`,
    ...parts.map((part, i) =>
      i === parts.length - 1
        ? escapeHtml(part)
        : `<a href="${escapeHtml(
            urls.view(
              repo,
              'tree',
              resolved.ref,
              parts.slice(0, i + 1).join('/'),
            ),
          )}">${escapeHtml(part)}</a>`,
    ),
  ];
  return `<p>${links.join(' / ')}</p>`;
}

export function repositoryListPage(
  urls: ForgeUrls,
  repos: ForgeRepository[],
): string {
  const rows = repos
    .map(
      r =>
        `<tr><td><a href="${escapeHtml(r.htmlUrl)}">${escapeHtml(
          r.owner,
        )}/${escapeHtml(r.name)}</a></td><td class="muted">${escapeHtml(
          r.description ?? '',
        )}</td></tr>`,
    )
    .join('\n');
  return layout(
    'Repositories',
    `<h1>Local forge</h1>
<p class="muted">Repositories Paved published here because no GitHub integration is configured. Base URL ${escapeHtml(
      urls.baseUrl,
    )}</p>
${repos.length ? `<table>${rows}</table>` : '<p>No repositories yet.</p>'}`,
  );
}

export function emptyRepositoryPage(
  urls: ForgeUrls,
  repo: ForgeRepository,
): string {
  return layout(
    `${repo.owner}/${repo.name}`,
    `${header(urls, repo)}<p>This repository is empty.</p>`,
  );
}

export function treePage(
  urls: ForgeUrls,
  repo: ForgeRepository,
  resolved: ForgeResolvedPath,
  directory: ForgeDirectory,
): string {
  const rows = directory.entries
    .map(entry => {
      const view = entry.type === 'tree' ? 'tree' : 'blob';
      const label = entry.type === 'tree' ? `${entry.name}/` : entry.name;
      return entry.type === 'commit'
        ? `<tr><td>${escapeHtml(
            label,
          )} <span class="muted">(submodule)</span></td></tr>`
        : `<tr><td><a href="${escapeHtml(
            urls.view(repo, view, resolved.ref, entry.path),
          )}">${escapeHtml(label)}</a></td></tr>`;
    })
    .join('\n');
  return layout(
    `${repo.owner}/${repo.name}${resolved.path ? `/${resolved.path}` : ''}`,
    `${header(urls, repo)}
${breadcrumbs(urls, repo, resolved)}
<p class="muted">Commit ${escapeHtml(directory.commitSha.slice(0, 7))}</p>
<table>${rows}</table>`,
  );
}

export function blobPage(
  urls: ForgeUrls,
  repo: ForgeRepository,
  resolved: ForgeResolvedPath,
  file: ForgeFile,
): string {
  const rawUrl = urls.view(repo, 'raw', resolved.ref, file.path);
  const body = isText(file.content)
    ? `<pre>${escapeHtml(file.content.toString('utf8'))}</pre>`
    : `<p>Binary file, ${file.content.length} bytes.</p>`;
  return layout(
    `${repo.owner}/${repo.name}/${file.path}`,
    `${header(urls, repo)}
${breadcrumbs(urls, repo, resolved)}
<p><a href="${escapeHtml(rawUrl)}">Raw</a> <span class="muted">· ${
      file.content.length
    } bytes · commit ${escapeHtml(file.commitSha.slice(0, 7))}</span></p>
${body}`,
  );
}
