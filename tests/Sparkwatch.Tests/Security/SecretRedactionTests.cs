using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Security;

/// <summary>Secrets are redacted before storage wherever Spark's event log redacts them, with the run's own pattern when it sets one.</summary>
public sealed class SecretRedactionTests
{
    private const string Redacted = "*********(redacted)";

    private const string JobStart = """{"Event":"SparkListenerJobStart","Job ID":0,"Submission Time":1000,"Stage Infos":[],"Stage IDs":[0],"Properties":{"spark.datamechanics.apiKey.secret":"dm-key-123","spark.hadoop.fs.s3a.secret.key":"s3-secret-456","spark.sql.password":"pw-789","spark.app.name":"pi","spark.job.description":"count rows"}}""";

    private const string StageSubmitted = """{"Event":"SparkListenerStageSubmitted","Stage Info":{"Stage ID":0,"Stage Attempt ID":0,"Stage Name":"count","Number of Tasks":1,"RDD Info":[],"Parent IDs":[],"Details":"","Accumulables":[]},"Properties":{"spark.sql.password":"pw-789","spark.rdd.scope":"{\"id\":\"1\",\"name\":\"collect\"}"}}""";

    private const string SqlStart = """{"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart","executionId":0,"description":"q","details":"","physicalPlanDescription":"","sparkPlanInfo":{"nodeName":"x","simpleString":"x","children":[],"metadata":{},"metrics":[]},"time":1000,"modifiedConfigs":{"spark.sql.shuffle.partitions":"4","spark.hadoop.fs.s3a.access.key":"AKIA-000","spark.jdbc.url":"jdbc:postgresql://db/x?password=hunter2"}}""";

    [Fact]
    public async Task Secrets_in_job_and_stage_properties_are_redacted_before_they_are_stored()
    {
        await using var server = await ServerUnderTest.StartAsync();
        await new ListenerClient(server.Client).PostOkAsync(ListenerEnvelope.Build("job", "run", 2, new Message(1000, JobStart), new Message(1001, StageSubmitted)));

        var events = await new SparkwatchApi(server.Client).EventsAsync("job", "run");

        Assert.Equal(JobStart.Replace("dm-key-123", Redacted).Replace("s3-secret-456", Redacted).Replace("pw-789", Redacted), events[0]);
        Assert.Equal(StageSubmitted.Replace("pw-789", Redacted), events[1]);
    }

    [Fact]
    public async Task Secrets_sent_by_the_delight_agent_are_redacted_too()
    {
        await using var server = await ServerUnderTest.StartAsync();
        const string appId = "pi-0f8fad5b-d9cb-469f-a165-70867728950e";
        var data = Convert.ToBase64String(ListenerClient.Gzip(JobStart + "\n"));
        var body = $$$"""{"dmAppId":"{{{appId}}}","sentAt":1000,"counters":{"messageCounter":1,"payloadCounter":1},"data":"{{{data}}}"}""";

        using var response = await server.Client.PostAsync("/collector/bulk", new StringContent(body));
        response.EnsureSuccessStatusCode();

        var served = Assert.Single(await new SparkwatchApi(server.Client).EventsAsync("pi", appId));
        Assert.Equal(JobStart.Replace("dm-key-123", Redacted).Replace("s3-secret-456", Redacted).Replace("pw-789", Redacted), served);
    }

    [Fact]
    public async Task Modified_configs_of_a_sql_execution_are_redacted_with_the_sql_options_pattern_too()
    {
        await using var server = await ServerUnderTest.StartAsync();
        await new ListenerClient(server.Client).PostOkAsync(ListenerEnvelope.Build("job", "run", 1, new Message(1000, SqlStart)));

        var served = Assert.Single(await new SparkwatchApi(server.Client).EventsAsync("job", "run"));

        Assert.Equal(SqlStart.Replace("AKIA-000", Redacted).Replace("jdbc:postgresql://db/x?password=hunter2", Redacted), served);
    }

    [Fact]
    public async Task The_runs_own_redaction_regex_applies_to_its_later_payloads()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var client = new ListenerClient(server.Client);
        var environment = """{"Event":"SparkListenerEnvironmentUpdate","JVM Information":{},"Spark Properties":{"spark.redaction.regex":"(?i)internal","spark.internal.endpoint":"https://vault","spark.my.secret":"kept"},"System Properties":{},"Classpath Entries":{}}""";
        var jobStart = """{"Event":"SparkListenerJobStart","Job ID":0,"Submission Time":1000,"Stage Infos":[],"Stage IDs":[],"Properties":{"spark.internal.endpoint":"https://vault","spark.my.secret":"kept"}}""";

        await client.PostOkAsync(ListenerEnvelope.Build("job", "run", 1, new Message(1000, environment)));
        await client.PostOkAsync(ListenerEnvelope.Build("job", "run", 2, new Message(1001, jobStart)));
        await client.PostOkAsync(ListenerEnvelope.Build("job", "other", 1, new Message(1001, jobStart)));

        var api = new SparkwatchApi(server.Client);
        var events = await api.EventsAsync("job", "run");
        Assert.Equal(environment.Replace("(?i)internal", Redacted).Replace("https://vault", Redacted), events[0]);
        Assert.Equal(jobStart.Replace("https://vault", Redacted), events[1]);
        // A run without a pattern of its own keeps the default.
        Assert.Equal(jobStart.Replace("\"kept\"", $"\"{Redacted}\""), Assert.Single(await api.EventsAsync("job", "other")));
    }

    [Fact]
    public async Task Events_without_secrets_are_stored_byte_for_byte()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var jobStart = """{"Event":"SparkListenerJobStart","Job ID":1,"Submission Time":1000,"Stage Infos":[],"Stage IDs":[],"Properties":{"spark.rdd.scope":"{\"id\":\"1\"}","spark.job.description":"caf\u00e9 \ud83d\ude00"}}""";
        await new ListenerClient(server.Client).PostOkAsync(ListenerEnvelope.Build("job", "run", 1, new Message(1000, jobStart)));

        Assert.Equal(jobStart, Assert.Single(await new SparkwatchApi(server.Client).EventsAsync("job", "run")));
    }
}
