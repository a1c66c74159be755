namespace Sparkwatch.Archive.Targets;

/// <summary>
/// Where the archive goes: whole objects under <c>/</c>-separated keys relative to the archive root. Objects are written
/// whole (object stores cannot append); a put replaces an existing object.
/// </summary>
public interface IArchiveTarget
{
    /// <summary>Writes <paramref name="content"/> (a seekable stream, read from its start) as the object <paramref name="key"/>.</summary>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>The object <paramref name="key"/>, or <c>null</c> when there is none.</summary>
    Task<Stream?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>, replacing it; nothing when <paramref name="from"/> is gone.</summary>
    Task RenameAsync(string from, string to, CancellationToken cancellationToken);

    /// <summary>Deletes <paramref name="key"/>; nothing when it is gone.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>The keys of every object whose key starts with <paramref name="prefix"/>, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken);
}
