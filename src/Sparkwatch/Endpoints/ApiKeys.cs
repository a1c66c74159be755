using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Sparkwatch.Hosting;

namespace Sparkwatch.Endpoints;

/// <summary>
/// The API-key check of every endpoint, in one place. Ingest endpoints (marked with <see cref="ApiKeyEndpoints.RequireIngestKey"/>)
/// take a key of <c>Sparkwatch:ApiKeys</c>; every other endpoint is a read and takes a key of <c>Sparkwatch:ReadApiKeys</c>,
/// or of <c>Sparkwatch:ApiKeys</c> while no read keys are set; endpoints marked <c>AllowAnonymous</c> (health, the API
/// description) are open. An empty key list leaves its endpoints open. The key comes in the <c>X-API-key</c> header
/// (what the Spark listeners send) or as <c>Authorization: Bearer &lt;key&gt;</c>.
/// </summary>
public sealed class ApiKeyCheck(RequestDelegate next, IOptions<SparkwatchOptions> options)
{
    private readonly KeySet _ingest = new(options.Value.ApiKeys);
    private readonly KeySet _read = new(options.Value.ReadApiKeys);

    /// <summary>Lets the request through, or answers 401 with a problem body that names the setting.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) return next(context);
        var isIngest = endpoint.Metadata.GetMetadata<IngestEndpoint>() is not null;
        var keys = isIngest || _read.IsEmpty ? _ingest : _read;
        if (keys.IsEmpty || keys.Accepts(PresentedKey(context.Request))) return next(context);
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Of(StatusCodes.Status401Unauthorized, ProblemTypes.InvalidApiKey, "Invalid API key", Refusal(isIngest)).ExecuteAsync(context);
    }

    private string Refusal(bool isIngest) => isIngest
        ? "The X-API-key header is missing or is not one of the keys configured in Sparkwatch:ApiKeys (the client's API key setting, e.g. spark.datamechanics.apiKey.secret)."
        : _read.IsEmpty
            ? "Reading needs one of the keys configured in Sparkwatch:ApiKeys, in the X-API-key header or as Authorization: Bearer <key> (set Sparkwatch:ReadApiKeys to give readers keys of their own)."
            : "Reading needs one of the keys configured in Sparkwatch:ReadApiKeys, in the X-API-key header or as Authorization: Bearer <key>; ingest keys (Sparkwatch:ApiKeys) cannot read.";

    /// <summary>True when <paramref name="keys"/> holds a key (blank entries are not keys).</summary>
    public static bool AnyKey(IEnumerable<string> keys) => keys.Any(IsKey);

    private static bool IsKey(string key) => !string.IsNullOrWhiteSpace(key);

    private static string? PresentedKey(HttpRequest request)
    {
        var apiKey = request.Headers["X-API-key"];
        if (apiKey.Count > 0) return apiKey[0];
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    /// <summary>Configured keys, kept as SHA-256 hashes and compared in constant time (blank entries are ignored).</summary>
    private sealed class KeySet(IEnumerable<string> keys)
    {
        private readonly byte[][] _hashes = [.. keys.Where(IsKey).Select(Hash)];

        public bool IsEmpty => _hashes.Length == 0;

        public bool Accepts(string? key)
        {
            if (key is null) return false;
            var presented = Hash(key);
            var accepted = false;
            // Every key is compared, so the time taken says nothing about which one (or how much of it) matched.
            foreach (var hash in _hashes) accepted |= CryptographicOperations.FixedTimeEquals(hash, presented);
            return accepted;
        }

        private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }
}

/// <summary>Marks an endpoint as ingest: it takes an ingest key (<c>Sparkwatch:ApiKeys</c>) instead of a read key.</summary>
public sealed class IngestEndpoint;

/// <summary>Conventions for <see cref="ApiKeyCheck"/>.</summary>
public static class ApiKeyEndpoints
{
    /// <summary>The endpoints take ingest keys (<c>Sparkwatch:ApiKeys</c>), not read keys.</summary>
    public static TBuilder RequireIngestKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IngestEndpoint());

    /// <summary>Checks the API key of every request that reaches an endpoint.</summary>
    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app) => app.UseMiddleware<ApiKeyCheck>();
}
