using System.CommandLine;
using AdaptLab.Cli.Models;
using AdaptLab.Cli.Models.Engine;
using AdaptLab.Core.Models.Hub;
using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Core.Tasks;
using AdaptLab.Server;
using AdaptLab.Server.FineTuning;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace AdaptLab.Cli.Commands;

/// <summary><c>adaptlab serve MODEL</c>: one model behind an OpenAI-compatible HTTP API, until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("model") { Description = "local:<path>, local:hf:org/name[@revision], or a model name from the task file" };
        var task = new Option<string?>("--task") { Description = "Task file whose `models` define MODEL (default adaptlab.yaml)" };
        var name = new Option<string?>("--name") { Description = "The model name clients ask for (default: the task's model name, or the folder's)" };
        var host = new Option<string>("--host") { Description = "Address to listen on; anything but loopback needs an API key", DefaultValueFactory = _ => "127.0.0.1" };
        var apiKey = new Option<string?>("--api-key")
        {
            Description = $"Key clients must send as 'Authorization: Bearer KEY' (default ${ServerOptions.ApiKeyVariable}); required off loopback",
        };
        var maxRequestBytes = new Option<long>("--max-request-bytes")
        {
            Description = "Largest request body accepted; longer ones get a 413",
            DefaultValueFactory = _ => ServerOptions.DefaultMaxRequestBodyBytes,
        };
        var port = new Option<int>("--port") { Description = "TCP port (0 picks a free one)", DefaultValueFactory = _ => 8000 };
        var noEmbeddings = new Option<bool>("--no-embeddings") { Description = "Do not load the MiniLM sentence encoder for /v1/embeddings" };
        var fineTuning = new Option<bool>("--fine-tuning") { Description = "Offer OpenAI's fine-tuning jobs API (/v1/files, /v1/fine_tuning/jobs) over the in-process trainer; tuned models are served too" };
        var jobsDir = new Option<string>("--jobs-dir") { Description = "Where uploaded files and tuned models go", DefaultValueFactory = _ => Path.Combine(".adaptlab", "jobs") };
        var command = new Command("serve", "Serve a model over an OpenAI-compatible API (/v1/chat/completions, /v1/embeddings, /v1/models; --fine-tuning: the jobs API)")
        {
            model, task, name, host, port, apiKey, maxRequestBytes, noEmbeddings, fineTuning, jobsDir,
        };
        command.SetAction(async (parse, ct) =>
        {
            var serverOptions = new ServerOptions(parse.GetValue(host)!, parse.GetValue(port))
            {
                ApiKey = parse.GetValue(apiKey) ?? NonEmpty(Environment.GetEnvironmentVariable(ServerOptions.ApiKeyVariable)),
                MaxRequestBodyBytes = parse.GetValue(maxRequestBytes),
            };
            try
            {
                // Before the model loads: a server that may not start should say so at once.
                serverOptions.Validate();
            }
            catch (ArgumentException e)
            {
                return CliApp.Fail(context, ExitCodes.BadInput, e.Message);
            }

            var (spec, defaultName) = Resolve(parse.GetValue(model)!, parse.GetValue(task));
            IChatClient chat;
            try
            {
                spec = await DownloadIfFromHubAsync(context, spec, ct);
                // The shared pipeline without a cache: a served model answers every request afresh.
                chat = ModelPipeline.Build(context.Providers.Create(spec), new ModelPipelineOptions(spec.Reference, RemoteCalls: RemoteCallOptions.For(spec, new RemoteCallOptions().MaxConcurrency)));
            }
            catch (InvalidOperationException e)
            {
                return CliApp.Fail(context, e.InnerException is HubDownloadException ? ExitCodes.Infrastructure : ExitCodes.BadInput, e.Message);
            }

            using var _ = chat;
            using var embeddings = parse.GetValue(noEmbeddings) ? null : LoadEmbeddings(context);
            var servedName = parse.GetValue(name) ?? defaultName;
            using var jobs = parse.GetValue(fineTuning) ? Jobs(context, spec, servedName, parse.GetValue(jobsDir)!) : null;
            OpenAiServer server;
            try
            {
                server = await OpenAiServer.StartAsync(new ServedModels(servedName, chat, embeddings) { FineTuning = jobs }, serverOptions, ct);
            }
            catch (ArgumentException e)
            {
                return CliApp.Fail(context, ExitCodes.BadInput, e.Message);
            }

            await using (server)
            {
                var served = embeddings is null ? string.Empty : $" and {embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId} embeddings";
                var auth = (serverOptions.ApiKey is null ? string.Empty : ", API key required") + (jobs is null ? string.Empty : $", fine-tuning jobs into {jobs.Folder}");
                context.Out.MarkupLineInterpolated($"serving [bold]{parse.GetValue(name) ?? defaultName}[/]{served} at [bold]{server.BaseAddress}[/]{auth} (Ctrl+C stops)");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C is how a server is meant to stop.
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The jobs API over the engine's trainer: it tunes the served local model, and serves what it makes the way the base is served.</summary>
    /// <exception cref="InputException">The served model is not a local one, or this build has no trainer.</exception>
    private static FineTuningJobs Jobs(CliContext context, ModelSpec spec, string servedName, string folder)
    {
        var reference = ModelReference.Parse(spec.Reference);
        if (reference.Provider != "local")
        {
            throw new InputException("MODEL", null, null, $"--fine-tuning trains the served model in process, so it must be a local: model, not '{spec.Reference}'");
        }

        AdaptLab.Abstractions.ILocalTrainer trainer;
        try
        {
            trainer = (context.Providers.Trainer ?? throw new InvalidOperationException("this build has no trainer"))();
        }
        catch (InvalidOperationException e)
        {
            throw new InputException("--fine-tuning", null, null, e.Message);
        }

        return new FineTuningJobs(trainer, servedName, reference.Name, folder, path =>
        {
            var tuned = spec with { Reference = "local:" + path };
            return ModelPipeline.Build(context.Providers.Create(tuned), new ModelPipelineOptions(tuned.Reference, RemoteCalls: RemoteCallOptions.For(tuned, new RemoteCallOptions().MaxConcurrency)));
        });
    }

    /// <summary>A model reference as given, or a model the task file names; with the name to serve it under by default.</summary>
    private static (ModelSpec Spec, string Name) Resolve(string model, string? taskPath)
    {
        if (model.Contains(':', StringComparison.Ordinal))
        {
            ModelReference reference;
            try
            {
                reference = ModelReference.Parse(model);
            }
            catch (ArgumentException e)
            {
                throw new InputException("MODEL", null, null, e.Message);
            }

            var isPath = reference.Provider == "local" && !reference.Name.StartsWith(LocalModelProvider.HubPrefix, StringComparison.Ordinal);
            var full = isPath ? "local:" + Path.GetFullPath(reference.Name) : model;
            var name = isPath ? Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(Path.GetFullPath(reference.Name)))
                : reference.Provider == "local" ? reference.Name[LocalModelProvider.HubPrefix.Length..].Split('@')[0]
                : reference.Name;
            return (new ModelSpec(full, null, null, null, null), name);
        }

        var path = taskPath ?? "adaptlab.yaml";
        if (!File.Exists(path))
        {
            throw new InputException(path, null, null,
                $"'{model}' is not a model reference (provider:name, e.g. local:./my-model) and there is no task file here to look it up in (--task)");
        }

        var definition = TaskFileLoader.Load(path);
        return definition.Models.TryGetValue(model, out var spec)
            ? (spec, model)
            : throw new InputException(path, null, "models", $"no model '{model}' (models: {string.Join(", ", definition.Models.Keys)})");
    }

    private static async Task<ModelSpec> DownloadIfFromHubAsync(CliContext context, ModelSpec spec, CancellationToken ct)
    {
        var reference = ModelReference.Parse(spec.Reference);
        if (reference.Provider != "local" || !reference.Name.StartsWith(LocalModelProvider.HubPrefix, StringComparison.Ordinal))
        {
            return spec;
        }

        var folder = context.Interactive
            ? await HubDownloadBars.DownloadAsync(context.Out, reference.Name, ct)
            : await LocalModelProvider.DownloadAsync(reference.Name, new HubDownloadLog(context.Error), ct);
        return spec with { Reference = "local:" + folder };
    }

    /// <summary>The encoder is optional: without it the server still serves chat, and /v1/embeddings answers 404.</summary>
    private static IEmbeddingGenerator<string, Embedding<float>>? LoadEmbeddings(CliContext context)
    {
        try
        {
            return EngineLoader.Get().OpenSentenceEncoder();
        }
        catch (InvalidOperationException e)
        {
            context.Error.WriteLine($"warning: embeddings are off, the MiniLM encoder did not load ({e.Message})");
            return null;
        }
    }
}
