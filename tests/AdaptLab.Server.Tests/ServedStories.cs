using System.Net;
using System.Net.Sockets;
using AdaptLab.Cli;
using AdaptLab.Core.Models;
using AdaptLab.Core.Tasks;
using AdaptLab.Engine;
using AdaptLab.Tests.Support;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace AdaptLab.Server.Tests;

/// <summary>
/// <c>adaptlab serve local:stories260K --name stories</c> running in this process on a free 127.0.0.1 port,
/// the same model opened directly on the engine to compare with, and a client for the server made the way
/// a task file's <c>openai-compatible:</c> model is.
/// </summary>
public class ServedStories : IAsyncLifetime
{
    public const string Name = "stories";

    private readonly CancellationTokenSource stop = new();
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();
    private Task<int>? serving;

    public static string ModelDirectory => SharedData.Path("models", "stories260K");

    public string Endpoint { get; private set; } = string.Empty;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>The engine itself, with the one thread tests may use (a process-wide setting the server shares).</summary>
    public LocalChatClient Direct { get; } = LocalModel.Open(ModelDirectory, new LocalModelOptions(Threads: 1));

    public IChatClient Remote { get; private set; } = null!;

    /// <summary>More <c>serve</c> options, for a server set up otherwise.</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    public async Task InitializeAsync()
    {
        var port = FreePort();
        Endpoint = $"http://127.0.0.1:{port}/v1";
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        console.Profile.Width = 240;
        var context = new CliContext(console, error, CliContext.DefaultProviders(), Interactive: false);
        serving = CliApp.RunAsync(["serve", "local:" + ModelDirectory, "--name", Name, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. ExtraArguments], context, stop.Token);
        await WaitUntilServingAsync();
        Remote = ModelProviders.CreateDefault().Create(new ModelSpec($"openai-compatible:{Name}", Endpoint, null, null, null));
    }

    public virtual async Task DisposeAsync()
    {
        await stop.CancelAsync();
        var code = serving is null ? 0 : await serving;
        Remote?.Dispose();
        Direct.Dispose();
        Http.Dispose();
        stop.Dispose();
        Assert.True(code == 0, $"serve exited {code}: {output}{error}");
    }

    private async Task WaitUntilServingAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (serving!.IsCompleted)
            {
                throw new InvalidOperationException($"serve exited {await serving}: {output}{error}");
            }

            try
            {
                using var response = await Http.GetAsync(Endpoint + "/models");
                if (response.IsSuccessStatusCode)
                {
                    Assert.Contains($"serving {Name} and all-MiniLM-L6-v2 embeddings at {Endpoint}", output.ToString(), StringComparison.Ordinal);
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"serve did not answer within 2 minutes: {output}{error}");
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class ServedStoriesCollection : ICollectionFixture<ServedStories>
{
    public const string Name = "served stories260K";
}
