namespace Sparkwatch.Archive.Tests;

/// <summary>Retention behind an archive in a bucket of a real S3-compatible server (s3rver).</summary>
public sealed class S3RetentionTests(S3rverServer s3) : IClassFixture<S3rverServer>
{
    [Fact]
    public async Task RunsArchivedInABucketLeaveTheStoreAndServeTheSameEventsFromTheBucket()
    {
        await using var scenario = await RetentionScenario.StartAsync("--Sparkwatch:Archive:Target=s3", $"--Sparkwatch:Archive:S3:ServiceUrl={s3.ServiceUrl}",
            $"--Sparkwatch:Archive:S3:Bucket={S3rverServer.Bucket}", $"--Sparkwatch:Archive:S3:Prefix=retention/{Guid.NewGuid():N}/",
            $"--Sparkwatch:Archive:S3:AccessKeyId={S3rverServer.AccessKey}", $"--Sparkwatch:Archive:S3:SecretAccessKey={S3rverServer.AccessKey}");

        await scenario.RetainAsync(scenario.Completed);

        foreach (var run in scenario.Completed)
        {
            Assert.Equal(0, (await scenario.StoredAsync(run)).Bytes);
            await scenario.AssertServedAsBeforeAsync(run);
        }
    }
}
