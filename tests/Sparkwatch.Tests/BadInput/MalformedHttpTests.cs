using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sparkwatch.Testing;

namespace Sparkwatch.Tests.BadInput;

/// <summary>
/// Requests that break HTTP itself, sent over raw sockets: bad chunk framing gets 400, a body slower than Kestrel's
/// minimum data rate 408 — both with a problem body — and a client that closes mid-body leaves no error in the log.
/// </summary>
public sealed class MalformedHttpTests : IAsyncLifetime
{
    private ServerUnderTest _server = null!;
    private readonly ErrorLog _log = new();

    public async Task InitializeAsync()
    {
        _server = await ServerUnderTest.StartAsync();
        _server.Server.App.Services.GetRequiredService<ILoggerFactory>().AddProvider(_log);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(Socket Socket, NetworkStream Stream)> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_server.BaseAddress.Host, _server.BaseAddress.Port);
        return (socket, new NetworkStream(socket, ownsSocket: true));
    }

    private static async Task<string> ReadAnswerAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var answer = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0) answer.Write(buffer, 0, read);
        }
        catch (IOException)
        {
            // The server may reset the connection once it has answered.
        }
        return Encoding.UTF8.GetString(answer.ToArray());
    }

    private static string Head(string extraHeaders) =>
        $"POST /collect HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n{extraHeaders}\r\n";

    [Theory]
    [InlineData("zz\r\n{}\r\n0\r\n\r\n")]
    [InlineData("5\r\n{\"job_name\"\r\n0\r\n\r\n")]
    [InlineData("2\r\n{}XX0\r\n\r\n")]
    public async Task Bad_chunk_framing_gets_400_with_a_problem_body(string chunks)
    {
        var (_, stream) = await ConnectAsync();
        await using (stream)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Head("Transfer-Encoding: chunked\r\n") + chunks));

            var answer = await ReadAnswerAsync(stream);

            Assert.StartsWith("HTTP/1.1 400", answer);
            Assert.Contains("application/problem+json", answer);
            Assert.Contains("urn:sparkwatch:problem:bad-request", answer);
        }
        Assert.Empty(_log.Errors);
    }

    [Fact]
    public async Task A_body_slower_than_the_minimum_data_rate_gets_408()
    {
        var (_, stream) = await ConnectAsync();
        await using (stream)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Head("Content-Length: 100000\r\n") + "{"));
            var answering = ReadAnswerAsync(stream);
            // One byte a second, far below Kestrel's 240 bytes/s once its 5 s grace period is over.
            for (var i = 0; i < 20 && !answering.IsCompleted; i++)
            {
                await Task.Delay(1000);
                try { await stream.WriteAsync("\n"u8.ToArray()); } catch (IOException) { break; }
            }

            var answer = await answering;

            Assert.StartsWith("HTTP/1.1 408", answer);
            Assert.Contains("urn:sparkwatch:problem:bad-request", answer);
        }
        Assert.Empty(_log.Errors);
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(false, 300)]
    [InlineData(true, 0)]
    [InlineData(true, 300)]
    public async Task A_body_shorter_than_its_content_length_then_closed_logs_no_error(bool reset, int delayMs)
    {
        var (socket, stream) = await ConnectAsync();
        await using (stream)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Head("Content-Length: 5000\r\n") + "{\"job_name\":\"j\""));
            await stream.FlushAsync();
            // Wait until the server is reading the body, then close: half-closed (FIN) or reset (RST).
            await Task.Delay(delayMs);
            if (reset) socket.LingerState = new LingerOption(true, 0);
            else socket.Shutdown(SocketShutdown.Send);
            if (!reset) await ReadAnswerAsync(stream);
        }
        // The server notices the close asynchronously: give it time to log whatever it logs.
        await Task.Delay(500);
        Assert.True(_log.Errors.IsEmpty, string.Join("\n", _log.Errors));
        await new ListenerClient(_server.Client).PostOkAsync(ListenerEnvelope.Build("after", "r", 1, Message.Event(1)));
    }

    /// <summary>Collects every log entry of level Error or above.</summary>
    private sealed class ErrorLog : ILoggerProvider
    {
        public ConcurrentQueue<string> Errors { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        private sealed class Logger(ErrorLog log, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) log.Errors.Enqueue($"{category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
