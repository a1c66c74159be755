using System.Text;
using Sparkwatch.Core.Events;

namespace Sparkwatch.Core.Tests;

/// <summary>Secrets are redacted as Spark redacts them, in the events it redacts; every other byte stays.</summary>
public sealed class SparkRedactorTests
{
    private const string Environment = SparkEventTypes.EnvironmentUpdate;

    private static string? Redact(string json, string eventType = Environment, SparkRedactor? redactor = null) =>
        (redactor ?? SparkRedactor.Default).Redact(Encoding.UTF8.GetBytes(json), eventType) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

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
        var redacted = Redact("""{"Event":"SparkListenerEnvironmentUpdate","Spark Properties":{"spark.master":"local","a.secret":"x"}}""", redactor: redactor);
        Assert.Contains("\"spark.master\":\"*********(redacted)\"", redacted);
        Assert.Contains("\"a.secret\":\"x\"", redacted);
    }

    [Theory]
    [InlineData(SparkEventTypes.JobStart)]
    [InlineData(SparkEventTypes.StageSubmitted)]
    public void Properties_of_job_and_stage_events_are_redacted(string eventType)
    {
        var json = $$$"""{"Event":"{{{eventType}}}","Stage Infos":[{"Stage Name":"token count","Properties":{"a.secret":"nested"}}],"Properties":{"spark.datamechanics.apiKey.secret":"k","spark.hadoop.fs.s3a.secret.key":"s","spark.sql.password":"p","spark.job.description":"count"}}""";

        Assert.Equal($$$"""{"Event":"{{{eventType}}}","Stage Infos":[{"Stage Name":"token count","Properties":{"a.secret":"nested"}}],"Properties":{"spark.datamechanics.apiKey.secret":"*********(redacted)","spark.hadoop.fs.s3a.secret.key":"*********(redacted)","spark.sql.password":"*********(redacted)","spark.job.description":"count"}}""", Redact(json, eventType));
    }

    [Fact]
    public void Modified_configs_are_redacted_with_the_secret_and_the_sql_options_patterns()
    {
        var json = """{"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart","description":"password reset","modifiedConfigs":{"spark.sql.shuffle.partitions":"4","my.token":"t","spark.jdbc.URL":"jdbc:x"}}""";

        Assert.Equal("""{"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart","description":"password reset","modifiedConfigs":{"spark.sql.shuffle.partitions":"4","my.token":"*********(redacted)","spark.jdbc.URL":"*********(redacted)"}}""", Redact(json, SparkEventTypes.SqlExecutionStart));
    }

    [Fact]
    public void Only_the_properties_spark_redacts_are_looked_at()
    {
        Assert.Null(Redact("""{"Event":"SparkListenerJobStart","Properties":{"x":"y"},"Other":{"a.secret":"s"}}""", SparkEventTypes.JobStart));
        Assert.Null(Redact("""{"Event":"SparkListenerTaskEnd","Properties":{"a.secret":"s"}}""", "SparkListenerTaskEnd"));
        Assert.Null(Redact("""{"Event":"SparkListenerEnvironmentUpdate","Spark Properties":{"spark.url":"u"}}"""));
    }

    [Fact]
    public void The_runs_patterns_are_read_from_its_spark_properties()
    {
        var json = """{"Event":"SparkListenerEnvironmentUpdate","System Properties":{"spark.redaction.regex":"ignored"},"Spark Properties":{"spark.redaction.regex":"(?i)vault","spark.sql.redaction.options.regex":"(?i)dsn"}}""";

        Assert.Equal(("(?i)vault", "(?i)dsn"), SparkRedactor.RunPatterns(Encoding.UTF8.GetBytes(json)));
        Assert.Equal((null, null), SparkRedactor.RunPatterns("""{"Event":"SparkListenerEnvironmentUpdate","Spark Properties":{}}"""u8));
    }

    [Fact]
    public void A_pattern_that_needs_backtracking_and_times_out_counts_as_a_match()
    {
        // A backreference rules out the linear-time engine; this one backtracks exponentially on a long run of a's.
        var redactor = SparkRedactor.FromSparkPattern(@"^(a+)+\1b$");
        var json = $$$"""{"Event":"SparkListenerJobStart","Properties":{"k":"{{{new string('a', 40)}}}c","x":"ab"}}""";

        Assert.Equal($$$"""{"Event":"SparkListenerJobStart","Properties":{"k":"*********(redacted)","x":"ab"}}""", Redact(json, SparkEventTypes.JobStart, redactor));
    }
}
