using System.Security.Cryptography;

namespace Sparkwatch.Endpoints;

/// <summary>The dashboard's static files (src/Sparkwatch/wwwroot), embedded in the executable and served from memory.</summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "wwwroot/";
    private readonly Dictionary<string, (byte[] Bytes, string Type, string ETag)> _files = new(StringComparer.Ordinal);

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var path = name.Replace('\\', '/');
            if (!path.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            _files[path[Prefix.Length..]] = (bytes, TypeOf(path), $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }
    }

    /// <summary>Answers with the file, 304 when the browser has it, or 404.</summary>
    public IResult Serve(HttpContext context, string path)
    {
        if (!_files.TryGetValue(path, out var file)) return Problems.Of(StatusCodes.Status404NotFound, ProblemTypes.BadRequest, "No such file", $"The dashboard has no file '{path}'.");
        var headers = context.Response.Headers;
        headers.ETag = file.ETag;
        // Revalidated on every load, so a new binary's files are used at once; 304s keep that cheap.
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
        if (context.Request.Headers.IfNoneMatch == file.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(file.Bytes, file.Type);
    }

    private static string TypeOf(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "text/plain; charset=utf-8",
    };
}
