using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.Http;

/// <summary>
/// The service in its own process (meters are process-wide: in-process servers of other tests would add to its
/// counters) with ingest and read keys, sent known traffic once: the listener capture, two of its payloads again,
/// a payload with a quarantined message and a payload refused with 400; then scraped.
/// </summary>
public sealed class MetricsServer : IAsyncLifetime
{
    public const string ReadKey = "read-key";

    private readonly TempFolder _data = TestPaths.NewTempFolder();

    public ServiceProcess Service { get; private set; } = null!;

    /// <summary>What the first scrape after the traffic read.</summary>
    public string Scrape { get; private set; } = "";

    public long EventsSent { get; private set; }
    public long DuplicatesSent { get; private set; }
    public long BytesSent { get; private set; }
    public int PayloadsAcknowledged { get; private set; }

    public async Task InitializeAsync()
    {
        Service = await ServiceProcess.StartAsync(_data.Path, "--api-key", "test-key", $"--Sparkwatch:ReadApiKeys:0={ReadKey}");
        var capture = File.ReadAllLines(TestPaths.ListenerCapture).Where(l => l.Length > 0).ToList();
        foreach (var payload in capture) await PostOkAsync(payload);
        EventsSent = capture.Sum(SparkEvents);
        foreach (var payload in capture.Skip(1).Take(2)) await PostOkAsync(payload);
        DuplicatesSent = capture.Skip(1).Take(2).Sum(SparkEvents);
        await PostOkAsync(ListenerEnvelope.Build("job", "run", 2, Message.Event(1), new Message(2, "not json")));
        EventsSent++;
        using var refused = await PostAsync(Encoding.UTF8.GetBytes("{\"job_name\": \"job\", "));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Scrape = await ScrapeAsync(ReadKey);
    }

    public async Task<string> ScrapeAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await Service.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task DisposeAsync()
    {
        if (Service is not null) await Service.DisposeAsync();
        _data.Dispose();
    }

    private async Task PostOkAsync(string envelope)
    {
        using var response = await PostAsync(ListenerClient.Gzip(envelope));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        PayloadsAcknowledged++;
    }

    private Task<HttpResponseMessage> PostAsync(byte[] body)
    {
        BytesSent += body.Length;
        return new ListenerClient(Service.Client).PostBytesAsync(body, gzip: body.Length > 2 && body[0] == 0x1f && body[1] == 0x8b);
    }

    private static long SparkEvents(string envelope) =>
        JsonNode.Parse(envelope)!["messages"]!.AsArray().Count(m => m!["message_type"]!.GetValue<string>() == "spark-event");
}

/// <summary><c>GET /metrics</c>: Prometheus text whose ingest counters moved by exactly what was sent, behind the read keys.</summary>
public sealed class MetricsTests(MetricsServer server) : IClassFixture<MetricsServer>
{
    private readonly IReadOnlyList<PrometheusSample> _samples = PrometheusText.Parse(server.Scrape);

    [Fact]
    public void Every_line_of_the_scrape_follows_the_Prometheus_text_format() =>
        Assert.Contains(_samples, s => s.Name == "sparkwatch_ingest_payloads_total");

    [Fact]
    public void The_ingest_counters_moved_by_exactly_what_was_sent()
    {
        var listener = ("receiver", "listener");
        Assert.Equal(server.EventsSent, _samples.Sum("sparkwatch_ingest_events_total", listener));
        Assert.Equal(server.DuplicatesSent, _samples.Sum("sparkwatch_ingest_duplicates_total", listener));
        Assert.Equal(1, _samples.Sum("sparkwatch_ingest_quarantined_total", listener));
        Assert.Equal(server.PayloadsAcknowledged, _samples.Sum("sparkwatch_ingest_payloads_total", listener, ("outcome", "stored"), ("status", "200")));
        Assert.Equal(1, _samples.Sum("sparkwatch_ingest_payloads_total", listener, ("outcome", "refused"), ("status", "400")));
        Assert.Equal(server.PayloadsAcknowledged + 1, _samples.Sum("sparkwatch_ingest_payloads_total"));
        Assert.Equal(server.BytesSent, _samples.Sum("sparkwatch_ingest_received_bytes_total", listener));
        Assert.Equal(server.PayloadsAcknowledged + 1, _samples.Sum("sparkwatch_ingest_payload_size_bytes_count", listener));
    }

    [Fact]
    public void The_ack_latency_histogram_counts_every_acknowledged_payload()
    {
        Assert.Equal(server.PayloadsAcknowledged, _samples.Sum("sparkwatch_ingest_ack_duration_seconds_count", ("receiver", "listener")));
        Assert.Equal(server.PayloadsAcknowledged, _samples.Sum("sparkwatch_ingest_ack_duration_seconds_bucket", ("receiver", "listener"), ("le", "+Inf")));
        Assert.Contains(_samples, s => s.Name == "sparkwatch_ingest_ack_duration_seconds_bucket" && s.Labels["le"] == "0.001");
        Assert.Equal(server.PayloadsAcknowledged, _samples.Sum("sparkwatch_writer_commit_payloads_sum"));
    }

    [Fact]
    public void The_store_size_and_the_writer_gauges_are_reported()
    {
        Assert.True(_samples.Sum("sparkwatch_store_size_bytes") > 0, server.Scrape);
        Assert.Single(_samples, s => s.Name == "sparkwatch_writer_queue_depth");
        Assert.Single(_samples, s => s.Name == "sparkwatch_ingest_memory_usage_bytes");
        Assert.True(_samples.Sum("sparkwatch_ingest_event_size_bytes_total") > 0);
    }

    [Fact]
    public void Each_sink_run_here_reports_its_lag()
    {
        Assert.Contains(_samples, s => s.Name == "sparkwatch_sink_lag_events" && s.Labels.GetValueOrDefault("sink") == "model");
        Assert.Contains(_samples, s => s.Name == "sparkwatch_sink_lag_duration_seconds" && s.Labels.GetValueOrDefault("sink") == "model");
    }

    [Fact]
    public void The_platform_meters_come_along()
    {
        Assert.Contains(_samples, s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.GetValueOrDefault("http_route") == "/collect");
        Assert.Contains(_samples, s => s.Name == "dotnet_gc_collections_total");
        Assert.True(_samples.Sum("dotnet_process_memory_working_set_bytes") > 0);
    }

    [Fact]
    public void No_metric_is_labelled_with_a_run_or_a_job()
    {
        var sparkwatch = _samples.Where(s => s.Name.StartsWith("sparkwatch_", StringComparison.Ordinal)).ToList();
        Assert.All(sparkwatch, s => Assert.DoesNotContain(s.Labels.Values, v => v is "run" or "job" or "spark-pi"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("test-key")]
    [InlineData("not-a-key")]
    public async Task The_scrape_needs_a_read_key_when_keys_are_configured(string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await server.Service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_later_scrape_still_parses_and_counters_never_go_down()
    {
        var later = PrometheusText.Parse(await server.ScrapeAsync(MetricsServer.ReadKey));

        Assert.Equal(_samples.Sum("sparkwatch_ingest_events_total"), later.Sum("sparkwatch_ingest_events_total"));
        Assert.True(later.Sum("http_server_request_duration_seconds_count") >= _samples.Sum("http_server_request_duration_seconds_count"));
    }
}

/// <summary>The two metrics settings: <c>AllowAnonymous</c> opens the scrape despite keys, <c>Enabled=false</c> removes it.</summary>
public sealed class MetricsSettingsTests
{
    [Fact]
    public async Task AllowAnonymous_serves_the_scrape_without_a_key_while_reads_still_need_one()
    {
        await using var server = await ServerUnderTest.StartAsync(null, "--api-key", "test-key", "--read-api-key", "read-key",
            "--Sparkwatch:Metrics:AllowAnonymous=true");

        using var metrics = await server.Client.GetAsync("/metrics");
        using var jobs = await server.Client.GetAsync("/job");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.NotEmpty(PrometheusText.Parse(await metrics.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Unauthorized, jobs.StatusCode);
    }

    [Fact]
    public async Task Disabled_metrics_are_not_served()
    {
        await using var server = await ServerUnderTest.StartAsync(null, "--Sparkwatch:Metrics:Enabled=false");

        using var metrics = await server.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
    }
}
