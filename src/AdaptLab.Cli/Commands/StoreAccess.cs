using System.CommandLine;
using AdaptLab.Core.Store;

namespace AdaptLab.Cli.Commands;

internal static class StoreAccess
{
    public static RunStore Open(ParseResult parse, GlobalOptions options) => RunStore.Open(parse.GetValue(options.Store)!);

    /// <summary>A run by id, unique prefix or "latest"; an unknown run is bad input (exit 2).</summary>
    public static RunInfo FindRun(RunStore store, string id) =>
        store.FindRun(id) ?? throw new InputException(store.Path, null, null, $"no run '{id}' (see `adaptlab runs`)");
}
