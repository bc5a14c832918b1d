public enum Tutorial {}
