using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Sparkwatch.Archive.Targets;

/// <summary>Opens the target the options name.</summary>
public static class ArchiveTargets
{
    /// <summary>The archive target of <paramref name="options"/>; a local <see cref="ArchiveOptions.Path"/> that is empty means <c>&lt;data-dir&gt;/archive</c>.</summary>
    public static IArchiveTarget Open(ArchiveOptions options, string dataDirectory) => options.Target switch
    {
        ArchiveTargetKind.S3 => OpenS3(options.S3),
        _ => new LocalArchiveTarget(options.Path.Length > 0 ? options.Path : Path.Combine(dataDirectory, "archive")),
    };

    private static S3ArchiveTarget OpenS3(S3ArchiveOptions s3)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = s3.ForcePathStyle,
            // Checksums only where S3 requires them: S3-compatible servers do not all know the newer trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (s3.ServiceUrl.Length > 0)
        {
            config.ServiceURL = s3.ServiceUrl;
            config.AuthenticationRegion = s3.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(s3.Region);
        }
        var client = s3.AccessKeyId.Length > 0
            ? new AmazonS3Client(new BasicAWSCredentials(s3.AccessKeyId, s3.SecretAccessKey), config)
            : new AmazonS3Client(config);
        return new S3ArchiveTarget(client, s3.Bucket, s3.Prefix);
    }
}
