namespace SinkIdempotency.Cli.Tests;

public sealed class RedactingTextWriterTests
{
    [Fact]
    public void Write_SecretSplitAcrossWrites_IsRedactedOnceTheLineEnds()
    {
        var inner = new StringWriter();
        using var writer = new RedactingTextWriter(inner);

        writer.Write("Failed to connect: Host=db;Pass");
        writer.Write("word=connect;Database=x");
        inner.ToString().Should().BeEmpty("a line is held until it ends");
        writer.WriteLine(" (external)");

        inner.ToString().Should().Be("Failed to connect: Host=db;Password=[redacted];Database=x (external)" + Environment.NewLine);
    }

    [Fact]
    public void Flush_PartialLine_IsWrittenRedacted()
    {
        var inner = new StringWriter();
        using var writer = new RedactingTextWriter(inner);

        writer.Write("https://svc:pw@hooks.internal/x");
        writer.Flush();

        inner.ToString().Should().Be("https://svc:[redacted]@hooks.internal/x");
    }
}
