using System.Text;

namespace SinkIdempotency.Worker.Runtime;

/// <summary>Formats an exception chain like a Java stack trace (<c>Class: message</c>, <c>\tat …</c>, <c>Caused by: …</c>), as Connect's status <c>trace</c>.</summary>
internal static class JavaTrace
{
    public static string Format(Exception exception)
    {
        var builder = new StringBuilder();
        Exception? current = exception;
        var first = true;
        while (current is not null)
        {
            if (!first)
            {
                builder.Append("Caused by: ");
            }

            builder.Append(ClassName(current));
            if (!string.IsNullOrEmpty(current.Message))
            {
                builder.Append(": ").Append(current.Message);
            }

            builder.Append('\n');
            foreach (var line in (current.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                builder.Append("\tat ").Append(line.StartsWith("at ", StringComparison.Ordinal) ? line[3..] : line).Append('\n');
            }

            current = current.InnerException;
            first = false;
        }

        return builder.ToString().TrimEnd('\n');
    }

    public static string ClassName(Exception exception) => exception switch
    {
        Sink.RetriableException => "org.apache.kafka.connect.errors.RetriableException",
        Sink.DataException => "org.apache.kafka.connect.errors.DataException",
        Sink.ConfigException => "org.apache.kafka.common.config.ConfigException",
        Sink.ConnectException when exception.GetType().Assembly == typeof(Sink.ConnectException).Assembly => "org.apache.kafka.connect.errors.ConnectException",
        _ => exception.GetType().FullName ?? exception.GetType().Name,
    };
}
