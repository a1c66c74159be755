using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Sparkwatch.Fuzz.Tests;

/// <summary>
/// Collects what the server logs at Error or above (an unhandled exception in a request, a failed connection), so a
/// property can assert that no input made the service fail inside.
/// </summary>
public sealed class LoggedErrors : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _errors = new();

    /// <summary>Every error logged so far: category, message and exception.</summary>
    public IReadOnlyCollection<string> All => _errors;

    /// <summary>Forgets the errors logged so far.</summary>
    public void Clear() => _errors.Clear();

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _errors);

    /// <inheritdoc/>
    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> errors) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) errors.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
