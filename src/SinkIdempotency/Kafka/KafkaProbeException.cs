namespace SinkIdempotency.Kafka;

/// <summary>Reports that a Kafka cluster did not answer, or refused the client settings, when the harness first reached it.</summary>
public sealed class KafkaProbeException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="KafkaProbeException"/> class.</summary>
    public KafkaProbeException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KafkaProbeException"/> class.</summary>
    /// <param name="message">The message, naming the cluster and the last client error.</param>
    public KafkaProbeException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KafkaProbeException"/> class.</summary>
    /// <param name="message">The message, naming the cluster and the last client error.</param>
    /// <param name="innerException">The client's failure.</param>
    public KafkaProbeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
