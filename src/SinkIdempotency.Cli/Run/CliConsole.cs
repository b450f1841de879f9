using Spectre.Console;

namespace SinkIdempotency.Cli.Run;

/// <summary>Creates the Spectre console <c>run</c> writes to: live and coloured on a terminal, plain lines otherwise (redirected output, CI).</summary>
internal static class CliConsole
{
    /// <summary>Gets a value indicating whether standard output is an interactive terminal outside CI.</summary>
    public static bool IsInteractiveTerminal =>
        !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GITHUB_ACTIONS"))
        && Environment.GetEnvironmentVariable("TERM") is not "dumb";

    public static IAnsiConsole Create(TextWriter output, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        if (!interactive)
        {
            console.Profile.Width = 160;
        }

        return console;
    }
}
