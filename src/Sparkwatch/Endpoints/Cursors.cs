using System.Buffers.Text;
using System.Text;
using Sparkwatch.Storage;

namespace Sparkwatch.Endpoints;

/// <summary>Opaque page cursors: base64url of the last item's sort key.</summary>
public static class Cursors
{
    /// <summary>Encodes a cursor.</summary>
    public static string Encode(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key));

    /// <summary>Decodes a cursor; <c>null</c> input gives <c>null</c>; false when it is not one of ours.</summary>
    public static bool TryDecode(string? cursor, out string? key)
    {
        key = null;
        if (string.IsNullOrEmpty(cursor)) return true;
        try
        {
            key = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The cursor after a run.</summary>
    public static string ForRun(long sortTime, string runId) => Encode($"{sortTime}:{runId}");

    /// <summary>Parses a run cursor.</summary>
    public static bool TryDecodeRun(string? cursor, out RunCursor? run)
    {
        run = null;
        if (!TryDecode(cursor, out var key)) return false;
        if (key is null) return true;
        var colon = key.IndexOf(':');
        if (colon <= 0 || !long.TryParse(key.AsSpan(0, colon), out var sortTime)) return false;
        run = new RunCursor(sortTime, key[(colon + 1)..]);
        return true;
    }

    /// <summary>Checks a <c>limit</c> parameter against the configured page sizes.</summary>
    public static int PageSize(int? limit, Hosting.LimitOptions limits) =>
        Math.Clamp(limit ?? limits.DefaultPageSize, 1, limits.MaxPageSize);
}
