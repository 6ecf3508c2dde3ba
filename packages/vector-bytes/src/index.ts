export { float32ToBytes, bytesToFloat32 } from "./vector-bytes";
