namespace Sparkwatch.Endpoints;

/// <summary>Spark's History Server REST API (<c>/api/v1</c>) over the run model, area by area.</summary>
public static class SparkApiEndpoints
{
    /// <summary>Maps every /api/v1 area.</summary>
    public static IEndpointRouteBuilder MapSparkApi(this IEndpointRouteBuilder app)
    {
        app.MapSparkApplicationsApi();
        app.MapSparkJobsApi();
        app.MapSparkStagesApi();
        app.MapSparkExecutorsApi();
        app.MapSparkStorageApi();
        app.MapSparkSqlApi();
        app.MapSparkLogsApi();
        app.MapRunSummaryApi();
        return app;
    }
}
