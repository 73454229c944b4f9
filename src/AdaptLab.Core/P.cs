namespace AdaptLab.Core; public static class Placeholder { }
