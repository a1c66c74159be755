using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Sparkwatch.Broker;
using Sparkwatch.Core.Events;
using Sparkwatch.Core.Ingest;
using Sparkwatch.Core.Wire;
using Sparkwatch.Endpoints;
using Sparkwatch.Metrics;
using Sparkwatch.Model;
using Sparkwatch.Model.Api;
using Sparkwatch.Sinks;
using Sparkwatch.Sinks.Archive;
using Sparkwatch.Sinks.Search;
using Sparkwatch.Storage;
using Sparkwatch.Storage.Postgres;
using Sparkwatch.Storage.Search;
using Sparkwatch.Storage.Sqlite;

namespace Sparkwatch.Hosting;

/// <summary>Registrations and the endpoint map of the service, in one place.</summary>
public static class SparkwatchServiceExtensions
{
    /// <summary>Short command-line flags and the settings they set.</summary>
    public static readonly Dictionary<string, string> CommandLineSwitches = new()
    {
        ["--listen"] = "urls", // an alias of ASP.NET Core's --urls
        ["--data-dir"] = "Sparkwatch:DataDirectory",
        ["--api-key"] = "Sparkwatch:ApiKeys:0",
        ["--read-api-key"] = "Sparkwatch:ReadApiKeys:0",
        ["--role"] = "Sparkwatch:Roles:0",
        ["--store"] = "Sparkwatch:Store",
    };

    /// <summary>Adds the store, the ingest pipeline, the API's JSON conventions, OpenAPI and health checks.</summary>
    /// <remarks>The settings are bound and validated before the host is built (roles choose what is registered, limits
    /// configure Kestrel), so <paramref name="options"/> is registered as the one <see cref="IOptions{T}"/> instance.</remarks>
    public static IHostApplicationBuilder AddSparkwatchServices(this IHostApplicationBuilder builder, SparkwatchOptions options)
    {
        builder.Services.AddSingleton(Options.Create(options));

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<OpenAccessWarning>();
        builder.AddSparkwatchMetrics(options);
        builder.Services.AddSingleton(sp => CreateStore(sp.GetRequiredService<IOptions<SparkwatchOptions>>().Value));
        builder.Services.AddSingleton(sp => new SparkApi((IRunModelReader)sp.GetRequiredService<IEventStore>(),
            sp.GetRequiredService<IOptions<SparkwatchOptions>>().Value.Limits.TaskSummaryMemoryBytes,
            sp.GetRequiredService<IOptions<SparkwatchOptions>>().Value.Limits.ChosenQuantilesCacheBytes));
        builder.Services.AddSingleton(sp => (ISearchIndex)sp.GetRequiredService<IEventStore>());
        builder.Services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<SparkwatchOptions>>().Value;
            return new EventNormalizer(SparkRedactor.FromSparkPattern(settings.RedactionRegex), settings.MaxRunRedactionPatterns);
        });
        builder.Services.AddSingleton(sp =>
        {
            var limits = sp.GetRequiredService<IOptions<SparkwatchOptions>>().Value.Limits;
            return new ListenerPayloadDecoder(sp.GetRequiredService<EventNormalizer>(), limits.MaxNameLength, limits.MaxMessageCounter);
        });
        builder.Services.AddSingleton(sp =>
        {
            var limits = sp.GetRequiredService<IOptions<SparkwatchOptions>>().Value.Limits;
            return new DelightPayloadDecoder(sp.GetRequiredService<EventNormalizer>(), limits.MaxNameLength, limits.MaxInflatedBytes, limits.MaxMessageCounter);
        });
        builder.Services.AddSingleton(sp =>
        {
            var limits = sp.GetRequiredService<IOptions<SparkwatchOptions>>().Value.Limits;
            return new IngestMemoryBudget(limits.MaxInFlightBytes, limits.InFlightWait);
        });
        builder.AddIngestRoles(options);

        builder.Services.AddSingleton(sp => new StageSummaryKeeper(sp.GetRequiredService<SparkApi>(), sp.GetRequiredService<ILogger<StageSummaryKeeper>>()));
        if (options.RunModel)
        {
            builder.Services.AddSingleton<IEventSink>(sp => new RunModelSink((IRunModelProjection)sp.GetRequiredService<IEventStore>(),
                options.Sinks.KeepStageSummaries ? sp.GetRequiredService<StageSummaryKeeper>() : null));
        }
        builder.Services.AddSingleton<AcceptedSignal>();
        builder.Services.AddSingleton(sp => new AcceptedMemory(sp.GetRequiredService<IOptions<SparkwatchOptions>>().Value.Sinks.HandoffBytes));
        builder.Services.AddArchiveSink(options);
        builder.Services.AddSingleton<SinkHost>();
        builder.Services.AddSingleton<IEventSink, SearchSink>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SinkHost>());

        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<HttpFaultHandler>();
        // A query parameter that does not bind throws, so HttpFaultHandler can answer with a problem that names it.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Sparkwatch API";
            document.Info.Description = "Receives the events Spark applications stream while they run and answers questions about jobs and runs.\n\n" + ApiText.ProblemTypesDescription;
            return Task.CompletedTask;
        }));
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: [HealthApi.ReadyTag]);
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.MimeTypes = [NdjsonEventsResult.ContentType, "application/json"];
            o.Providers.Add<GzipCompressionProvider>();
        });
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        return builder;
    }

    /// <summary>The store that <see cref="SparkwatchOptions.Store"/> names.</summary>
    public static IEventStore CreateStore(SparkwatchOptions options) => options.Store switch
    {
        StoreKind.Postgres => new PostgresEventStore(new PostgresStoreOptions
        {
            ConnectionString = options.Postgres.ConnectionString,
            EventCompressionLevel = options.Postgres.EventCompressionLevel,
            RunModel = options.RunModel,
        }),
        _ => new SqliteEventStore(SqliteOptions(options)),
    };

    /// <summary>The SQLite settings, with the database file under the data directory unless a path is given.</summary>
    public static SqliteStoreOptions SqliteOptions(SparkwatchOptions options) => new()
    {
        Path = string.IsNullOrWhiteSpace(options.Sqlite.Path) ? Path.Combine(options.DataDirectory, "sparkwatch.db") : options.Sqlite.Path,
        Synchronous = options.Sqlite.Synchronous,
        CacheSizeMiB = options.Sqlite.CacheSizeMiB,
        CheckpointPages = options.Sqlite.CheckpointPages,
        SinkWriteSliceMilliseconds = options.Sqlite.SinkWriteSliceMilliseconds,
        EventCompressionLevel = options.Sqlite.EventCompressionLevel,
        RunModel = options.RunModel,
    };

    /// <summary>Maps the endpoints of the configured roles, health, the OpenAPI document and the browsable API page.</summary>
    public static WebApplication MapSparkwatchApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<SparkwatchOptions>>().Value;
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseResponseCompression();
        app.UseMiddleware<RawTargetGuard>();
        app.UseRouting();
        app.UseApiKeys();
        if (options.HasRole(ServiceRole.Collector))
        {
            app.MapCollectApi();
            app.MapDelightApi();
        }
        if (options.HasRole(ServiceRole.Query))
        {
            app.MapJobsApi();
            app.MapRunsApi();
            app.MapSparkApi();
            app.MapSinksApi();
            app.MapSearchApi();
            app.MapDashboard();
        }
        app.MapHealthApi();
        app.MapSparkwatchMetrics();
        // The API's description holds no data: open, like health, whatever the keys.
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/docs", o => o.WithTitle("Sparkwatch API").WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
        if (!options.HasRole(ServiceRole.Query)) app.MapGet("/", () => Results.Redirect("/docs")).ExcludeFromDescription().AllowAnonymous();
        return app;
    }
}
