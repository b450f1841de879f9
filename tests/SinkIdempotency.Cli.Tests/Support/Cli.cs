using SinkIdempotency.Cli.Run;

namespace SinkIdempotency.Cli.Tests.Support;

/// <summary>Invokes the tool in-process and captures its output, error and exit code.</summary>
internal static class Cli
{
    public static async Task<(int Code, string Output, string Error)> InvokeAsync(IScenarioSessionFactory sessions, IDictionary<string, string>? variables, params string[] args)
    {
        var output = new SynchronizedStringWriter();
        var error = new SynchronizedStringWriter();
        var services = new CliServices
        {
            Sessions = sessions,
            Interactive = false,
            GetVariable = name => variables is not null && variables.TryGetValue(name, out var value) ? value : null,
            GetVariables = () => variables is null ? new Dictionary<string, string>() : new Dictionary<string, string>(variables),
        };
        var code = await CliApplication.InvokeAsync(args, output, error, services, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
