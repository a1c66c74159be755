using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Sparkwatch.Archive.Targets;

/// <summary>An archive in an S3-compatible bucket, under an optional key prefix. A rename is a copy then a delete (S3 has no rename).</summary>
public sealed class S3ArchiveTarget(IAmazonS3 client, string bucket, string prefix) : IArchiveTarget, IDisposable
{
    private readonly string _prefix = prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";

    /// <inheritdoc/>
    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        content.Position = 0;
        // A plain signed body (no aws-chunked encoding): every S3-compatible server reads it.
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = _prefix + key, InputStream = content, AutoCloseStream = false, UseChunkEncoding = false }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<Stream?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetObjectAsync(bucket, _prefix + key, cancellationToken);
            // Copied out so the response (and its connection) is released at once.
            var copy = new MemoryStream();
            await response.ResponseStream.CopyToAsync(copy, cancellationToken);
            copy.Position = 0;
            return copy;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Read and written again rather than copied: servers disagree on how a copy source key is escaped, and the
    /// archive only renames its empty status markers.</remarks>
    public async Task RenameAsync(string from, string to, CancellationToken cancellationToken)
    {
        await using var content = await GetAsync(from, cancellationToken);
        if (content is null) return;
        await PutAsync(to, content, cancellationToken);
        await DeleteAsync(from, cancellationToken);
    }

    /// <inheritdoc/>
    public Task DeleteAsync(string key, CancellationToken cancellationToken) => client.DeleteObjectAsync(bucket, _prefix + key, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = _prefix + prefix };
        ListObjectsV2Response response;
        do
        {
            response = await client.ListObjectsV2Async(request, cancellationToken);
            keys.AddRange((response.S3Objects ?? []).Select(o => o.Key[_prefix.Length..]));
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    /// <inheritdoc/>
    public void Dispose() => client.Dispose();
}
