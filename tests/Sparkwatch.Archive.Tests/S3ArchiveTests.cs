using Sparkwatch.Archive.Targets;
using Sparkwatch.Testing;

namespace Sparkwatch.Archive.Tests;

/// <summary>The archive in a bucket of a real S3-compatible server (s3rver).</summary>
public sealed class S3ArchiveTests(S3rverServer s3) : IClassFixture<S3rverServer>, IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task EveryRunArchivedInABucketReadsBackAsItsEventsAndAgainAfterAReplayUnchanged()
    {
        var runs = SourceRuns.All();
        var prefix = $"spark-events/{Guid.NewGuid():N}";
        using var target = Target(prefix);
        var archiver = new RunArchiver(target, new ArchiveOptions { MaxPartBytes = 64 * 1024 }, Path.Combine(_folder.Path, "spool"), TimeProvider.System);
        foreach (var run in runs) await archiver.ApplyAsync(run.Run, run.Events, default);
        var once = await DownloadAsync(target, "once");

        var logs = ArchiveFolder.Logs(once);
        Assert.Equal(runs.Count, logs.Count);
        foreach (var run in runs) Assert.False(Assert.Single(logs, l => l.Lines.SequenceEqual(run.Lines)).Log.InProgress);
        Assert.True(ArchiveFolder.AssertJavaDecodesEveryPart(once) > runs.Count);

        foreach (var run in runs) await archiver.ApplyAsync(run.Run, run.Events, default);
        var twice = ArchiveFolder.Snapshot(await DownloadAsync(target, "twice"));
        var first = ArchiveFolder.Snapshot(once);
        Assert.Equal(first.Keys, twice.Keys);
        Assert.All(twice, f => Assert.Equal(first[f.Key], f.Value));
    }

    [Fact]
    public async Task ARenameInABucketMovesTheObjectAndAMissingObjectIsNull()
    {
        using var target = Target($"t/{Guid.NewGuid():N}");
        await target.PutAsync("a/one", new MemoryStream("1"u8.ToArray()), default);
        await target.RenameAsync("a/one", "a/two", default);

        Assert.Equal(["a/two"], await target.ListAsync("a/", default));
        Assert.Null(await target.GetAsync("a/one", default));
        await using var two = await target.GetAsync("a/two", default);
        Assert.Equal((byte)'1', (byte)two!.ReadByte());
    }

    private S3ArchiveTarget Target(string prefix) => (S3ArchiveTarget)ArchiveTargets.Open(new ArchiveOptions
    {
        Target = ArchiveTargetKind.S3,
        S3 = new S3ArchiveOptions
        {
            ServiceUrl = s3.ServiceUrl, Bucket = S3rverServer.Bucket, Prefix = prefix,
            AccessKeyId = S3rverServer.AccessKey, SecretAccessKey = S3rverServer.AccessKey,
        },
    }, _folder.Path);

    /// <summary>Copies every object of the target into a local folder, as a History Server's file system would see it.</summary>
    private async Task<string> DownloadAsync(S3ArchiveTarget target, string name)
    {
        var root = Path.Combine(_folder.Path, name);
        foreach (var key in await target.ListAsync("", default))
        {
            var path = Path.Combine(root, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using var content = await target.GetAsync(key, default);
            await using var file = File.Create(path);
            await content!.CopyToAsync(file);
        }
        return root;
    }

    public void Dispose() => _folder.Dispose();
}
