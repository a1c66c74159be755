namespace Sparkwatch.Archive.Targets;

/// <summary>An archive in a local folder (or a mounted file system). Puts land whole: written to a hidden temporary file
/// beside the object, then moved over it, so a reader never sees half an object.</summary>
public sealed class LocalArchiveTarget(string root) : IArchiveTarget
{
    /// <summary>The archive root folder.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <inheritdoc/>
    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                content.Position = 0;
                await content.CopyToAsync(file, cancellationToken);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <inheritdoc/>
    public Task<Stream?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<Stream?>(new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, useAsync: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    /// <inheritdoc/>
    public Task RenameAsync(string from, string to, CancellationToken cancellationToken)
    {
        if (File.Exists(PathOf(from))) File.Move(PathOf(from), PathOf(to), overwrite: true);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        // Only the folder holding the prefix's last segment is walked.
        var slash = prefix.LastIndexOf('/');
        var folder = slash < 0 ? Root : PathOf(prefix[..slash]);
        IReadOnlyList<string> keys = !Directory.Exists(folder) ? [] : Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !Path.GetFileName(k).EndsWith(".tmp", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();
        return Task.FromResult(keys);
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(Root, key));
        // Keys are built by the archive, never by clients; this only guards against a bug escaping the root.
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw new ArgumentException($"Key '{key}' is outside the archive.", nameof(key));
        return path;
    }
}
