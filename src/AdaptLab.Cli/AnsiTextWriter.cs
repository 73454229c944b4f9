using System.Text;
using Spectre.Console;

namespace AdaptLab.Cli;

/// <summary>Routes System.CommandLine's own output (help, parse errors) through the same console as ours.</summary>
internal sealed class AnsiTextWriter(IAnsiConsole console) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => console.Profile.Out.Writer.Write(value);

    public override void Write(string? value) => console.Profile.Out.Writer.Write(value);
}
