namespace Sparkwatch.Archive;

/// <summary>The run archive (docs/archive.md): each run's events as a Spark rolling event log.</summary>
public sealed class ArchiveOptions
{
    /// <summary>Where the archive goes: <c>local</c> (default, the folder <see cref="Path"/>) or <c>s3</c> (see <see cref="S3"/>).</summary>
    public ArchiveTargetKind Target { get; set; } = ArchiveTargetKind.Local;

    /// <summary>The local archive folder; empty (default): <c>&lt;data-dir&gt;/archive</c>.</summary>
    public string Path { get; set; } = "";

    /// <summary>Spark's codec for the parts: <c>zstd</c> (default, as Spark 4 writes), <c>lz4</c>, <c>snappy</c> or <c>none</c>.</summary>
    public string Codec { get; set; } = "zstd";

    /// <summary>A part is closed before it passes this many uncompressed bytes (Spark's <c>spark.eventLog.rolling.maxFileSize</c>, 128 MiB).
    /// Parts end between payloads, so one payload larger than this is a part of its own.</summary>
    public long MaxPartBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>Longest a live run's events wait before they are in a part Spark reads: an open part is closed this long after its first events.</summary>
    public TimeSpan RollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The S3-compatible bucket, when <see cref="Target"/> is <c>s3</c>.</summary>
    public S3ArchiveOptions S3 { get; set; } = new();
}

/// <summary>Where the archive goes.</summary>
public enum ArchiveTargetKind
{
    /// <summary>A local folder.</summary>
    Local,

    /// <summary>An S3-compatible bucket.</summary>
    S3,
}

/// <summary>An S3-compatible bucket. Credentials: <see cref="AccessKeyId"/>/<see cref="SecretAccessKey"/> when set, else the AWS SDK's
/// usual chain (<c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>, profile, instance role).</summary>
public sealed class S3ArchiveOptions
{
    /// <summary>The endpoint of an S3-compatible server (e.g. <c>http://minio:9000</c>); empty (default): AWS S3 of <see cref="Region"/>.</summary>
    public string ServiceUrl { get; set; } = "";

    /// <summary>The bucket (must exist).</summary>
    public string Bucket { get; set; } = "";

    /// <summary>Key prefix of the archive root inside the bucket (e.g. <c>spark-events/</c>); empty (default): the bucket's root.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>The region requests are signed for.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Address the bucket in the path (<c>host/bucket/key</c>) rather than the host name: what most S3-compatible servers want. On by default.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Access key id; empty (default): the AWS SDK's credential chain.</summary>
    public string AccessKeyId { get; set; } = "";

    /// <summary>Secret access key, with <see cref="AccessKeyId"/>.</summary>
    public string SecretAccessKey { get; set; } = "";
}
