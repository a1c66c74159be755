using System.Text;
using Sparkwatch.Core.Events;
using Sparkwatch.Core.Ingest;

namespace Sparkwatch.Core.Tests;

/// <summary>A run's own spark.redaction.regex, seen in its environment update, applies to its later events; other runs keep the default.</summary>
public sealed class RunRedactorsTests
{
    private static readonly RunKey Run = new("job", "run");

    private static byte[] Environment(string properties) =>
        Encoding.UTF8.GetBytes("""{"Event":"SparkListenerEnvironmentUpdate","Spark Properties":""" + properties + "}");

    private static bool Redacts(SparkRedactor redactor, string key) =>
        redactor.Redact(Encoding.UTF8.GetBytes($$$"""{"Event":"SparkListenerJobStart","Properties":{"{{{key}}}":"v"}}"""), SparkEventTypes.JobStart) is not null;

    [Fact]
    public void The_runs_pattern_replaces_the_default_for_that_run_only()
    {
        var redactors = new RunRedactors(SparkRedactor.Default, 10);

        redactors.Learn(Run, Environment("""{"spark.redaction.regex":"(?i)vault"}"""));

        Assert.True(Redacts(redactors.For(Run), "vault.addr"));
        Assert.False(Redacts(redactors.For(Run), "a.secret"));
        Assert.Same(SparkRedactor.Default, redactors.For(new RunKey("job", "other")));
    }

    [Fact]
    public void An_environment_without_a_pattern_or_with_an_invalid_one_means_the_default()
    {
        var redactors = new RunRedactors(SparkRedactor.Default, 10);
        redactors.Learn(Run, Environment("""{"spark.redaction.regex":"(?i)vault"}"""));

        Assert.Same(SparkRedactor.Default, redactors.Learn(Run, Environment("""{"spark.master":"local"}""")));
        Assert.Same(SparkRedactor.Default, redactors.For(Run));
        Assert.Same(SparkRedactor.Default, redactors.Learn(Run, Environment("""{"spark.redaction.regex":"(unclosed"}""")));
    }

    [Fact]
    public void The_table_stays_within_its_capacity()
    {
        var redactors = new RunRedactors(SparkRedactor.Default, 2);

        for (var i = 0; i < 5; i++) redactors.Learn(new RunKey("job", $"r{i}"), Environment("""{"spark.redaction.regex":"(?i)vault"}"""));

        Assert.True(Redacts(redactors.For(new RunKey("job", "r4")), "vault"));
        Assert.Same(SparkRedactor.Default, redactors.For(new RunKey("job", "r0")));
    }
}
