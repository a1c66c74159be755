using System.Text;
using Sparkwatch.Core.Events;

namespace Sparkwatch.Core.Tests;

/// <summary>Secrets are redacted as Spark redacts them; every other byte stays.</summary>
public sealed class SparkRedactorTests
{
    private static string? Redact(string json, SparkRedactor? redactor = null) =>
        (redactor ?? SparkRedactor.Default).Redact(Encoding.UTF8.GetBytes(json)) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    [Fact]
    public void Values_whose_key_matches_are_redacted_and_the_rest_is_kept_byte_for_byte()
    {
        var json = """{"Event":"SparkListenerEnvironmentUpdate","Spark Properties":{"spark.app.name":"Pi","spark.datamechanics.apiKey.secret":"s3cr\"et","spark.hadoop.fs.s3a.access.key":"AKIA"},"System Properties":{"db.PASSWORD":"pw","x":"y"}}""";

        Assert.Equal("""{"Event":"SparkListenerEnvironmentUpdate","Spark Properties":{"spark.app.name":"Pi","spark.datamechanics.apiKey.secret":"*********(redacted)","spark.hadoop.fs.s3a.access.key":"*********(redacted)"},"System Properties":{"db.PASSWORD":"*********(redacted)","x":"y"}}""", Redact(json));
    }

    [Fact]
    public void A_value_that_matches_is_redacted_even_under_an_innocent_key()
    {
        var json = """{"Event":"SparkListenerEnvironmentUpdate","Spark Properties":{"spark.extra":"--token=abc"}}""";
        Assert.Contains("\"spark.extra\":\"*********(redacted)\"", Redact(json));
    }

    [Fact]
    public void Classpath_entries_are_never_redacted()
    {
        Assert.Null(Redact("""{"Event":"SparkListenerEnvironmentUpdate","Classpath Entries":{"/jars/token-lib.jar":"System Classpath"}}"""));
    }

    [Fact]
    public void Nothing_to_redact_returns_null_so_the_original_bytes_are_kept()
    {
        Assert.Null(Redact("""{"Event":"SparkListenerEnvironmentUpdate","Spark Properties":{"spark.master":"local[2]"}}"""));
    }

    [Fact]
    public void A_configured_pattern_replaces_sparks_default()
    {
        var redactor = SparkRedactor.FromSparkPattern("(?i)master");
        Assert.Contains("\"spark.master\":\"*********(redacted)\"", Redact("""{"Event":"SparkListenerEnvironmentUpdate","Spark Properties":{"spark.master":"local","a.secret":"x"}}""", redactor));
    }
}
