export { float32ToBytes, bytesToFloat32, platformIsLittleEndian } from "./vector-bytes";
