import { chmod, lstat, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePrivate, type PrivateFileSystem } from '../../../src/files/make-private.ts';
import { appErrorOf } from '../../helpers/app-error-of.ts';

const realFs: PrivateFileSystem = { stat, lstat, readdir: (dir) => readdir(dir), chmod };
const modeOf = async (file: string) => (await lstat(file)).mode & 0o7777;
const errno = (code: string) => Object.assign(new Error(`${code}: refused`), { code });

describe('makePrivate', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sgops-make-private-'));
  });
  afterEach(async () => {
    await chmod(dir, 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  /** A state directory as an older sgops left it: 0755 directories, 0644 and 0666 files. */
  async function openTree(): Promise<string> {
    const root = path.join(dir, 'state');
    await mkdir(path.join(root, 'pglite', 'base'), { recursive: true });
    await writeFile(path.join(root, 'sandbox.json'), '{}');
    await writeFile(path.join(root, 'pglite', 'base', '1249'), '');
    await writeFile(path.join(root, 'run.sh'), '#!/bin/sh\n');
    await writeFile(path.join(root, 'audit.key'), 'k');
    await chmod(root, 0o755);
    await chmod(path.join(root, 'pglite'), 0o755);
    await chmod(path.join(root, 'pglite', 'base'), 0o777);
    await chmod(path.join(root, 'sandbox.json'), 0o644);
    await chmod(path.join(root, 'pglite', 'base', '1249'), 0o666);
    await chmod(path.join(root, 'run.sh'), 0o755);
    await chmod(path.join(root, 'audit.key'), 0o600);
    return root;
  }

  it('takes every permission from group and others throughout a tree, and leaves the owner’s', async () => {
    const root = await openTree();
    await makePrivate(root);
    expect({
      root: await modeOf(root),
      pglite: await modeOf(path.join(root, 'pglite')),
      base: await modeOf(path.join(root, 'pglite', 'base')),
      sandboxJson: await modeOf(path.join(root, 'sandbox.json')),
      relation: await modeOf(path.join(root, 'pglite', 'base', '1249')),
      script: await modeOf(path.join(root, 'run.sh')),
      key: await modeOf(path.join(root, 'audit.key')),
    }).toEqual({
      root: 0o700,
      pglite: 0o700,
      base: 0o700,
      sandboxJson: 0o600,
      relation: 0o600,
      script: 0o700,
      key: 0o600,
    });
  });

  it('makes a single file private', async () => {
    const file = path.join(dir, 'audit-checkpoint.json');
    await writeFile(file, '{}', { mode: 0o644 });
    await chmod(file, 0o644);
    await makePrivate(file);
    expect(await modeOf(file)).toBe(0o600);
  });

  it('does nothing for a path that does not exist yet', async () => {
    await expect(makePrivate(path.join(dir, 'none.json'))).resolves.toBeUndefined();
  });

  it('refuses a symbolic link inside, naming it, and leaves what it points to as it was', async () => {
    const root = await openTree();
    const outside = path.join(dir, 'elsewhere.json');
    await writeFile(outside, '{}');
    await chmod(outside, 0o644);
    await symlink(outside, path.join(root, 'kubeconfig'));
    const error = await appErrorOf(makePrivate(root));
    expect(error.code).toBe('FILE_NOT_PRIVATE');
    expect(error.message).toContain(`${path.join(root, 'kubeconfig')} is a symbolic link`);
    expect(error.details).toEqual({ path: path.join(root, 'kubeconfig') });
    expect(await modeOf(outside)).toBe(0o644);
  });

  it('follows the root itself when it is a link, to the directory the operator chose', async () => {
    const root = await openTree();
    const link = path.join(dir, 'state-link');
    await symlink(root, link);
    await makePrivate(link);
    expect(await modeOf(root)).toBe(0o700);
    expect(await modeOf(path.join(root, 'sandbox.json'))).toBe(0o600);
  });

  it('refuses a shared directory with the sticky bit, like /tmp, and changes nothing in it', async () => {
    const shared = path.join(dir, 'shared');
    await mkdir(shared);
    await writeFile(path.join(shared, 'sandbox.json'), '{}');
    await chmod(path.join(shared, 'sandbox.json'), 0o644);
    await chmod(shared, 0o1777);
    const error = await appErrorOf(makePrivate(shared));
    expect(error.code).toBe('FILE_NOT_PRIVATE');
    expect(error.message).toContain('sticky bit');
    expect(error.hint).toContain('a directory of its own');
    expect(await modeOf(shared)).toBe(0o1777);
    expect(await modeOf(path.join(shared, 'sandbox.json'))).toBe(0o644);
  });

  // Root may chmod any file short of an immutable one (test/integration/sandbox/private-state-files
  // provokes that for real where chattr works); here the refusal is injected.
  it('refuses a file whose chmod fails, naming the file, its mode and the errno', async () => {
    const root = await openTree();
    const relation = path.join(root, 'pglite', 'base', '1249');
    const error = await appErrorOf(
      makePrivate(root, {
        ...realFs,
        chmod: (file, mode) => (file === relation ? Promise.reject(errno('EPERM')) : chmod(file, mode)),
      }),
    );
    expect(error.code).toBe('FILE_NOT_PRIVATE');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      `${relation} cannot be made private (chmod to 0600 failed: EPERM); sgops keeps its state files from other users.`,
    );
    expect(error.details).toEqual({ path: relation, mode: '0666' });
    expect(error.hint).toMatch(/owned by the user sgops runs as/);
  });

  it('refuses a file system that accepts chmod and keeps the old mode (vfat, some network shares)', async () => {
    const root = await openTree();
    const error = await appErrorOf(makePrivate(root, { ...realFs, chmod: () => Promise.resolve() }));
    expect(error.code).toBe('FILE_NOT_PRIVATE');
    expect(error.message).toContain(`${root} keeps mode 0755 after chmod to 0700`);
  });

  it('passes over an entry removed while it walks, as PGlite removes its temporary files', async () => {
    const root = await openTree();
    const gone = path.join(root, 'sandbox.json');
    await makePrivate(root, {
      ...realFs,
      chmod: (file, mode) => (file === gone ? Promise.reject(errno('ENOENT')) : chmod(file, mode)),
    });
    expect(await modeOf(path.join(root, 'pglite', 'base', '1249'))).toBe(0o600);
  });
});
