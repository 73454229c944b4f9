using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace AdaptLab.Cli.Commands;

/// <summary><c>adaptlab models</c>: the models fine-tuned into the store, with their cards.</summary>
internal static class ModelsCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var command = new Command("models", "List the models fine-tuned with this store: base, data, method, loss (--json: their full cards)");
        command.SetAction(parse =>
        {
            using var store = StoreAccess.Open(parse, options);
            var models = store.GetTrainedModels();
            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(new JsonArray([.. models.Select(m => JsonNode.Parse(m.Record))]).ToJsonString());
                return ExitCodes.Ok;
            }

            if (models.Count == 0)
            {
                context.Out.MarkupLine("[grey]no fine-tuned models yet: train one with `adaptlab finetune TASK --variant V --out DIR`[/]");
                return ExitCodes.Ok;
            }

            var table = new Table().Border(TableBorder.Simple).AddColumns("model", "base", "task / variant", "method", "steps", "loss", "dev loss", "finished");
            foreach (var model in models)
            {
                // In-process cards carry the loss curve; a provider job's card has the job instead.
                var card = JsonNode.Parse(model.Record)!;
                var losses = card["losses"]?.AsArray() ?? [];
                var dev = (card["validation"]?.AsArray() ?? []).Select(v => v!["loss"]!.GetValue<double>()).DefaultIfEmpty(double.NaN).Min();
                var method = (string?)card["method"] switch
                {
                    "lora" => $"LoRA r={card["options"]?["lora"]?["rank"]}",
                    "provider-job" => "provider job",
                    var other => other ?? "full",
                };
                table.AddRow(
                    Markup.Escape(model.Path),
                    Markup.Escape((string?)card["base_model"] ?? "?"),
                    Markup.Escape($"{Path.GetFileName(model.TaskPath)} / {model.Variant}"),
                    Markup.Escape(method),
                    losses.Count == 0 ? "–" : losses.Count.ToString(CultureInfo.InvariantCulture),
                    losses.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{losses[0]!.GetValue<double>():F3} → {losses[^1]!.GetValue<double>():F3}"),
                    double.IsNaN(dev) ? "–" : dev.ToString("F3", CultureInfo.InvariantCulture),
                    model.FinishedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            }

            context.Out.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
