using System.Text;
using SinkIdempotency.Connect;

namespace SinkIdempotency.Cli;

/// <summary>Passes text on line by line through <see cref="SecretRedactor.RedactText"/>, so nothing the tool prints can show a secret.</summary>
/// <remarks>A line is held until its end (<c>\n</c> or <c>\r</c>) or a flush, because a secret split across two writes would escape a per-write redaction.</remarks>
internal sealed class RedactingTextWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    public override void Write(char value)
    {
        lock (_gate)
        {
            _line.Append(value);
            if (value is '\n' or '\r')
            {
                EmitLine();
            }
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_gate)
        {
            var start = 0;
            for (var i = 0; i < value.Length; i++)
            {
                if (value[i] is '\n' or '\r')
                {
                    _line.Append(value, start, i + 1 - start);
                    EmitLine();
                    start = i + 1;
                }
            }

            _line.Append(value, start, value.Length - start);
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write(value + NewLine);

    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync()
    {
        WriteLine();
        return Task.CompletedTask;
    }

    public override void Flush()
    {
        lock (_gate)
        {
            EmitLine();
        }

        inner.Flush();
    }

    public override Task FlushAsync()
    {
        Flush();
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    private void EmitLine()
    {
        if (_line.Length > 0)
        {
            inner.Write(SecretRedactor.RedactText(_line.ToString()));
            _line.Clear();
        }
    }
}
